"""Write ``corpora/programmes/background.tsv``: how common each feature (syllable unigram or
bigram) of the programme files' example phrases is in general Vietnamese, the prior of the
indicator term weights (``chitieu.extractors.programmes.derive_weights``).

    pip install wordfreq && .venv/bin/python scripts/programme_background.py

Frequencies are wordfreq's (``word_frequency(feature, "vi")``: Wikipedia, subtitles, news, web
text; a two-syllable feature gets wordfreq's estimate for the phrase). Run it after adding or
changing examples; ``tests/test_programme_files.py`` checks that every example feature is listed.
wordfreq is needed only here, never at run time.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "corpora" / "programmes", ROOT / "tests" / "data" / "programmes"]


def main() -> int:
    from wordfreq import word_frequency

    from chitieu.pipeline import programmes as P

    feats: set[str] = set()
    for folder in FOLDERS:
        for p in P.load_programmes(folder):
            for ind in p.indicators:
                for e in ind.examples:
                    feats |= P.features(e.text)
    out = P.DEFAULT_DIR / P.BACKGROUND_FILE
    lines = [P.BACKGROUND_HEADER] + [f"{w}\t{word_frequency(w, 'vi'):.3g}" for w in sorted(feats)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out}: {len(feats)} features", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
