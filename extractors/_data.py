"""The model's language-data loader (``pipeline.corpus``) under its old name, for the two modules
that still import it from here (``metadata``, ``places``: helper meta's, which may move places into
the model). Every other extractor imports ``chitieu.pipeline.corpus`` directly; ``tests/test_imports.py``
names these two as the only allowed users."""
from __future__ import annotations

from chitieu.pipeline.corpus import DataError, corpus_data, load_data

__all__ = ["DataError", "corpus_data", "load_data"]
