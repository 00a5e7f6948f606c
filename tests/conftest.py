"""Shared fixtures. Keep this file small: several test modules use it."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """A database extracted from corpora/seeds, built once per test session (do not modify it)."""
    from chitieu.pipeline.run import extract_paths

    db = tmp_path_factory.mktemp("seed_db") / "chitieu.db"
    summary = extract_paths([str(SEEDS)], db)
    assert summary.documents >= 5, summary.error_messages
    return db
