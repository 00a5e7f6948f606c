"""Data derived from ``corpora/`` kept on disk between processes, under the rules fingerprint.

A loader that turns a large data file into lookup tables (the 14,000 gazetteer units parsed,
folded and indexed: a tenth of a one-file run's start-up) does it once per rules version:

    units = cached("places-units", build_units)   # build_units() only when no file holds it

The file is ``<cache folder>/<name>-<rules fingerprint>.pickle``: any change to the code or data
that decides extraction (``pipeline.run.rules_fingerprint``) gives a new name, so a stale table is
never read; files of older fingerprints are removed when a new one is written. Only derived
*data* is cached (dicts, sets, tuples of text): compiled patterns cannot be carried across
processes. The folder is ``$CHITIEU_CACHE`` if set (``off`` turns caching off), else the user
cache folder (``platformdirs`` where installed, else ``$XDG_CACHE_HOME`` or ``~/.cache``, then
``chitieu``). Concurrent processes are safe: each writes a temporary file and renames it into
place (atomic), so a reader sees a whole file or none. A folder that cannot be written is not an
error: the data is built in memory as without a cache (one warning per process says why).
"""
from __future__ import annotations

import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
_fingerprint: str | None = None
_warned = False


def cache_dir() -> Path | None:
    """The folder of cached data, or None when caching is off (``CHITIEU_CACHE=off``)."""
    env = os.environ.get("CHITIEU_CACHE")
    if env:
        return None if env.lower() in ("off", "0", "no", "false") else Path(env)
    try:
        import platformdirs
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "chitieu"
    return Path(platformdirs.user_cache_dir("chitieu", appauthor=False))


def use_rules(fingerprint: str) -> None:
    """The rules fingerprint a run has just computed (``pipeline.run.extract_paths``): the cache
    names its files with it instead of hashing every rule file a second time."""
    global _fingerprint
    _fingerprint = fingerprint


def _rules() -> str:
    global _fingerprint
    if _fingerprint is None:
        from chitieu.pipeline.run import rules_fingerprint  # (run imports the extractors that call this)

        _fingerprint = rules_fingerprint()
    return _fingerprint


def cached(name: str, build: Callable[[], T], key: str | None = None) -> T:
    """``build()``, read from the cache folder when a previous process of the same rules stored
    it, else built and stored there. ``key``: what the value depends on, when not the rules
    fingerprint (the hash of the inputs ``build`` reads)."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key or _rules()}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (FileNotFoundError, NotADirectoryError):
        pass  # not built yet (or no such folder: said when writing)
    except Exception as e:  # noqa: BLE001 - an unreadable or damaged file is rebuilt and replaced
        _warn(f"cannot read {path} ({type(e).__name__}: {e}); rebuilding it")
    value = build()
    _store(folder, name, path, value)
    return value


def _store(folder: Path, name: str, path: Path, value: object) -> None:
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: readers see the whole file or none
        tmp = None
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)  # an older rules version's table
    except OSError as e:
        _warn(f"cannot write the data cache in {folder} ({e.strerror or e}); data is rebuilt in each "
              "process (set CHITIEU_CACHE to a writable folder, or CHITIEU_CACHE=off)")
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _warn(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        print(f"warning: {message}", file=sys.stderr)
