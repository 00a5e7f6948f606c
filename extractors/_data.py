"""Language data for the extractors: files under ``corpora/``, read once per process."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import yaml

from chitieu.pipeline.data import corpus_path


@lru_cache(maxsize=None)
def corpus_data(relpath: str) -> Any:
    """The parsed YAML or JSON file ``corpora/<relpath>`` (cached: treat it as read-only)."""
    path = corpus_path(relpath)
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
