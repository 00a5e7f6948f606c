"""Where the language data is: every module finds ``corpora/`` files through this one helper.

    corpus_path("lexicons/money.yaml")   # a file
    corpus_dir("programmes")             # a folder
    corpus_files("lexicons")             # every file under a folder, sorted (for fingerprints)

The data is the package resource ``chitieu.corpora`` (``importlib.resources``): in an installed
wheel the files shipped under ``site-packages/chitieu/corpora/``; in a source checkout or an
editable install the repository's top-level ``corpora/`` folder (see ``chitieu/__init__.py``).
pip installs wheels unpacked, so the resources are real files and plain ``Path`` objects are
returned (a zipped install is refused with a clear error rather than read half-way).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

PACKAGE = "chitieu.corpora"


class DataNotFound(FileNotFoundError):
    """The language data is missing: a broken install, not a bad input file."""


@lru_cache(maxsize=1)
def corpora_root() -> Path:
    """The folder that holds the language data (``lexicons/``, ``gazetteer/`` …)."""
    try:
        root = resources.files(PACKAGE)
    except ModuleNotFoundError as e:
        raise DataNotFound(f"the chitieu language data ({PACKAGE}) is not installed: "
                           f"reinstall chitieu ({e})") from None
    # a folder resource is a Path (regular package) or a MultiplexedPath (namespace package):
    # its child lexicons/ is a real folder when pip installed it (unpacked)
    for child in root.iterdir():
        if child.name == "lexicons" and child.is_dir():
            folder = Path(str(child)).parent
            if folder.is_dir():
                return folder
    raise DataNotFound(f"the chitieu language data ({PACKAGE}, {root}) has no lexicons/ folder "
                       "on disk: reinstall chitieu with pip")


def corpus_path(relpath: str) -> Path:
    """The data file ``corpora/<relpath>`` (``relpath`` with ``/``); a clear error when absent."""
    path = corpora_root().joinpath(*relpath.split("/"))
    if not path.exists():
        raise DataNotFound(f"{path}: language data file missing (corpora/{relpath})")
    return path


def corpus_dir(relpath: str) -> Path:
    """The data folder ``corpora/<relpath>``."""
    path = corpus_path(relpath)
    if not path.is_dir():
        raise DataNotFound(f"{path}: not a folder (corpora/{relpath})")
    return path


def corpus_files(relpath: str) -> list[Path]:
    """Every file under the data folder ``corpora/<relpath>`` (recursively, sorted)."""
    return sorted(p for p in corpus_dir(relpath).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
