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


@pytest.fixture
def before_budgets(monkeypatch):
    """``before_budgets(act)``: run ``act(doc)`` before the budgets extractor of every document (a
    crash, a delay, a time stamp), how the tests make one file misbehave; undone after the test."""
    from chitieu import extractors

    real = extractors.TABLES["budgets"].extract

    def patch(act) -> None:
        def extract(doc):
            act(doc)
            return real(doc)

        monkeypatch.setattr(extractors.TABLES["budgets"], "extract", extract)

    return patch
