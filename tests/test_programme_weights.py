"""Indicator term weights derived from the example phrases (extractors/programmes.py,
"Term weights"): no hand weights in any programme file, every example scores back to its own
indicator, labelled real phrases check the threshold, the general-Vietnamese background table is
up to date, and scoring needs no word segmenter."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chitieu.pipeline import programmes as P

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = P.load_programmes(P.DEFAULT_DIR)
EXAMPLES = [(p, ind, ex) for p in BUNDLED for ind in p.indicators for ex in ind.examples]
PHRASES = yaml.safe_load((ROOT / "tests" / "data" / "indicator_phrases.yaml").read_text(encoding="utf-8"))


def _comparator(ind: P.Indicator) -> str:
    return "decrease_by" if ind.kind == "change" else "at_least"


@pytest.mark.parametrize("p,ind,ex", EXAMPLES, ids=[f"{p.code}.{i.code}.{k}" for k, (p, i, _) in enumerate(EXAMPLES)])
def test_example_scores_back_to_its_indicator(p, ind, ex):
    m = P.score_indicator(p, ex.text, unit=ind.unit, comparator=_comparator(ind))
    assert m.indicator == ind.code, (m, ex.text)
    assert ex.source, f"{p.code}.{ind.code}: example without its source"


def test_weights_come_from_the_examples_only():
    for p in BUNDLED:
        for ind in p.indicators:
            vocab = set().union(*(P.features(e.text) for e in ind.examples))
            assert ind.terms and set(ind.terms) == vocab, f"{p.code}.{ind.code}"
            assert ind.unseen < 0 and 0 < ind.threshold <= P.MIN_EVIDENCE
        assert p.terms and set(p.terms) <= set().union(*(P.features(e.text) for i in p.indicators
                                                        for e in i.examples))


def test_rare_words_weigh_more_than_common_ones():
    ind = next(i for i in P.get_programme("social_work_112").indicators if i.code == "staff_trained_pct")
    assert ind.terms["bồi dưỡng"] > ind.terms["cán bộ"] > 1 > ind.terms["cho"]
    assert ind.terms["được"] < 1


@pytest.mark.parametrize("key", ["terms", "head"])
def test_hand_weights_are_refused_with_a_clear_message(key):
    bad = {"code": "x", "decisions": [], "indicators": [{"code": "a", "unit": "%", key: {"đào tạo": 3}}]}
    with pytest.raises(P.ProgrammeFileError, match="derived from the indicator's examples"):
        P.parse_programme(bad, "x.yaml")
    with pytest.raises(P.ProgrammeFileError, match="derived"):
        P.parse_programme({"code": "x", "decisions": [], "indicators": [], "min_score": 6}, "x.yaml")


@pytest.mark.parametrize("row", PHRASES, ids=[f"{r['programme']}.{r['expect']}.{k}" for k, r in enumerate(PHRASES)])
def test_labelled_real_phrases(row):
    """Real phrases that are no example: the indicator they state, or `other`."""
    p = P.get_programme(row["programme"])
    m = P.score_indicator(p, row["phrase"], unit=row.get("unit", "%"), comparator=row.get("comparator", "at_least"))
    assert m.indicator == row["expect"], m


def test_low_score_keeps_the_candidate_sharing_most_vocabulary():
    m = P.score_indicator(P.get_programme("social_work_112"), "100% cán bộ được phổ biến thông tin về bình đẳng giới")
    assert m.indicator == "other" and m.best == "staff_trained_pct"
    assert "best candidate staff_trained_pct" in m.note and "needs" in m.note


def test_background_lists_every_example_feature():
    bg = P.background()
    folders = [P.DEFAULT_DIR, ROOT / "tests" / "data" / "programmes"]
    missing = {w for f in folders for p in P.load_programmes(f) for i in p.indicators for e in i.examples
               for w in P.features(e.text)} - set(bg)
    assert not missing, f"run scripts/programme_background.py (missing: {sorted(missing)[:10]})"


def test_background_matches_wordfreq():
    try:
        from wordfreq import word_frequency
    except ImportError:
        pytest.skip("wordfreq not installed (only scripts/programme_background.py needs it)")
    bg = P.background()
    for w in sorted(bg)[::25]:
        assert bg[w] == float(f"{word_frequency(w, 'vi'):.3g}"), w


def test_scoring_loads_no_word_segmenter():
    code = ("import sys, json\nfrom chitieu.pipeline import programmes as P\n"
            "p = P.get_programme('social_work_112')\n"
            "m = P.score_indicator(p, 'Đạt 60% số cơ quan, tổ chức bố trí nhân sự làm công tác xã hội')\n"
            "print(json.dumps([m.indicator, 'underthesea' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["staffing_units_pct", False]


def test_programme_vocabulary_uses_the_derived_programme_terms():
    text = ("Kế hoạch đặt mục tiêu đến năm 2025: 95% người cao tuổi có thẻ bảo hiểm y tế; ít nhất 90% người cao "
            "tuổi được chăm sóc sức khỏe ban đầu kịp thời, khám sức khỏe định kỳ.")
    scores = P.vocabulary_scores(text, BUNDLED)
    assert scores[0].programme.code == "older_people_1579"
    assert scores[0].coverage > 2 * scores[1].coverage
    assert "of its vocabulary" in scores[0].evidence()
