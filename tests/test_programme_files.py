"""The bundled programme files: each loads, quotes the source of every national target, and its
example phrases — real sentences of public texts — map back to their indicator when they stand
as a target in a small plan of that programme (the whole path: targets extractor, programme
matching and indicator scoring)."""
from __future__ import annotations

import pytest

from chitieu.extractors import targets
from chitieu.pipeline import programmes
from chitieu.pipeline.run import documents_from_text, enrich

BUNDLED = programmes.load_programmes(programmes.DEFAULT_DIR)
EXAMPLES = [(p, ind, ex) for p in BUNDLED for ind in p.indicators for ex in ind.examples]


def test_six_programmes_bundled():
    assert {p.code for p in BUNDLED} == {"social_work_112", "disability_1190", "children_23",
                                         "child_injury_1248", "older_people_1579", "gender_equality_28"}


@pytest.mark.parametrize("p", BUNDLED, ids=lambda p: p.code)
def test_every_indicator_has_an_example_and_national_targets_quote_their_source(p):
    for ind in p.indicators:
        assert ind.examples, f"{p.code}.{ind.code}: no example phrase"
        for n in ind.national:
            if p.code != "social_work_112":  # 112's targets predate quoting (see its header)
                assert n.quote and n.source, f"{p.code}.{ind.code} {n.period_end}: national target without quote/source"
            assert p.phases and (n.period_start, n.period_end) in p.phases, f"{p.code}.{ind.code}: not a phase"


@pytest.mark.parametrize("p,ind,ex", EXAMPLES, ids=[f"{p.code}.{i.code}.{k}" for k, (p, i, _) in enumerate(EXAMPLES)])
def test_example_maps_back_to_its_indicator(p, ind, ex):
    text = f"KẾ HOẠCH\nThực hiện {p.title}\nI. MỤC TIÊU\n1. Mục tiêu cụ thể\n- {ex.text}.\n"
    doc = enrich(documents_from_text("plan.txt", text)[0])
    assert doc.meta.programme == p.code
    found = [(t.indicator, t.value, t.unit) for t in targets.extract(doc)]
    assert any(i == ind.code for i, _, _ in found), found


def test_ratio_indicator_fits_any_noun_after_the_denominator():
    assert programmes.same_unit("/100.000", "/100.000 trẻ em")
    assert programmes.same_unit("/100.000", "/100.000")
    assert not programmes.same_unit("/100.000", "/1.000 trẻ sinh ra")
    assert not programmes.same_unit("%", "người")


@pytest.mark.parametrize("bad,msg", [
    ({"code": "x", "decisions": [], "indicators": [], "keyword": ["typo"]}, "unknown key"),
    ({"code": "x", "decisions": [], "indicators": [{"code": "a", "unit": "%", "term": {}}]}, "unknown key"),
    ({"code": "x", "decisions": [], "indicators": [{"code": "a", "unit": "%", "national": [
        {"phase": [2021, 2025], "value": 1, "comparator": "atleast"}]}]}, "unknown comparator"),
    ({"code": "x", "decisions": [], "indicators": [{"code": "a", "unit": "%"}, {"code": "a", "unit": "%"}]},
     "duplicate indicator"),
])
def test_programme_file_mistakes_are_errors(bad, msg):
    with pytest.raises(programmes.ProgrammeFileError, match=msg):
        programmes.parse_programme(bad, "x.yaml")
