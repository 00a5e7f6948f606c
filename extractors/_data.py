"""Language data for the extractors: files under ``corpora/``, read once per process through the
one schema-checking loader (``pipeline.corpus``: schemas in ``corpora/lexicons/schemas.yaml``)."""
from __future__ import annotations

from chitieu.pipeline.corpus import DataError, corpus_data, load_data

__all__ = ["DataError", "corpus_data", "load_data"]
