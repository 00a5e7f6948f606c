"""The document model (pipeline/structure.py): typed metadata, clauses and sentences."""
from __future__ import annotations

import pytest

from chitieu.pipeline.run import load_document
from chitieu.pipeline.store import DOCUMENT_COLUMNS
from chitieu.pipeline.structure import Document, DocumentMeta
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


# ---- DocumentMeta -----------------------------------------------------------------------------
def test_meta_fields_are_typed_attributes_and_unknown_names_are_refused():
    m = DocumentMeta()
    assert m.doc_number is None and m.repeats == []
    m.update({"doc_number": "12/KH-UBND"}, period_start=2023)
    assert (m.doc_number, m.period_start) == ("12/KH-UBND", 2023)
    with pytest.raises(KeyError, match="provine"):
        m.update(provine="Hà Nam")


def test_every_stored_meta_field_is_a_documents_column():
    assert set(DocumentMeta.STORED) <= set(DOCUMENT_COLUMNS)
    assert set(DocumentMeta.STORED) == set(DocumentMeta.__dataclass_fields__) - {"repeats"}
    assert "repeats" not in DocumentMeta().row()


def test_the_document_fields_fill_meta_by_attribute():
    doc = load_document(SEEDS / "004_7957dd705c424d21.txt")[0]
    assert (doc.meta.issuer, doc.meta.province, doc.meta.period_start) == ("UBND phường Kim Trà", "Huế", 2026)
    assert doc.meta.kind == "plan" and doc.meta.programme == "social_work_112"
    assert isinstance(doc.meta.implements, list)
