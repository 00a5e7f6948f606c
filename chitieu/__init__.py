"""chitieu: the distribution's own import name.

An installed wheel holds the language data here, as ``chitieu/corpora/`` (lexicons, gazetteer,
agency aliases, programmes, Datasette descriptions, scoring rules; not the seed plans), found by
``pipeline.data`` with ``importlib.resources``. In a source checkout (and an editable install)
this folder holds only this file: the design's top-level folders (``corpora/`` …) are added to
the package's search path below, so ``chitieu.corpora`` is the repository's ``corpora/`` and an
edit there is read at the next run.
"""
from pathlib import Path

__version__ = "0.1.0"

_HERE = Path(__file__).resolve().parent
_CHECKOUT = _HERE.parent
if not (_HERE / "corpora").is_dir() and (_CHECKOUT / "corpora" / "lexicons").is_dir() \
        and (_CHECKOUT / "pyproject.toml").is_file():
    __path__.append(str(_CHECKOUT))  # noqa: F821 (a package's module-level __path__)


def __getattr__(name: str):
    """``chitieu.load(db)``: typed pandas frames of a database (``chitieu.pipeline.load``),
    imported on first use so that ``import chitieu`` stays cheap."""
    if name == "load":
        from chitieu.pipeline.load import load

        return load
    raise AttributeError(f"module 'chitieu' has no attribute {name!r}")
