"""A disk cache of what the chain's proof modules build, keyed by everything that could change it.

Importing the proof modules (building every lemma with sympy) and checking them takes seconds; the results are a
deterministic function of the package's source files and the versions of Python and of the libraries that compute
them. :func:`source_key` hashes exactly that: the package version, the Python, sympy, mpmath, python-flint and numpy
versions, and the bytes of every ``.py`` file of the package (the engine, the setting and every proof module). An
entry is read back only under the key it was written with, so an entry is never *stale*: editing a lemma, a rule of
the checker or upgrading sympy changes the key, and the work is done again (and written under the new key).

What is cached is a convenience, never a premise: every reader has a path that recomputes the value when the entry is
absent, unreadable or written under another key. The folder is ``$RLHFSYM_CACHE_DIR``, else
``$XDG_CACHE_HOME/rlhfsym``, else ``~/.cache/rlhfsym``; ``RLHFSYM_NO_CACHE=1`` turns the cache off (nothing is read
or written). A folder that cannot be written is skipped silently (the result is recomputed next time).

The entries are pickles: as trustworthy as the package's own files in the same account (anyone who can edit them can
edit the installed package). ``rlhfsym verify --fresh`` ignores the verification record and checks every step.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "enabled", "load", "source_key", "store"]

#: The libraries whose versions enter the key: they compute what is cached.
LIBRARIES = ("sympy", "mpmath", "python-flint", "numpy")
#: Bump when the layout of a cached entry changes.
FORMAT = 1


def enabled() -> bool:
    """Is the cache on (``RLHFSYM_NO_CACHE`` unset, empty or ``0``)?"""
    return os.environ.get("RLHFSYM_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """``$RLHFSYM_CACHE_DIR``, else ``$XDG_CACHE_HOME/rlhfsym``, else ``~/.cache/rlhfsym``."""
    explicit = os.environ.get("RLHFSYM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rlhfsym"


def _package_roots() -> list[Path]:
    """The folders holding the package's source: rlhfsym itself and its proofs (a separate folder in a checkout)."""
    import rlhfsym

    roots = [Path(rlhfsym.__file__).parent]
    from importlib.util import find_spec

    spec = find_spec("rlhfsym.proofs")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location)
        if not any(path == root or root in path.parents for root in roots):
            roots.append(path)
    return roots


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


@cache
def source_key() -> str:
    """SHA-256 of the package version, the Python and library versions, and every source file's path and bytes."""
    from rlhfsym import __version__

    digest = hashlib.sha256()
    header = [f"format {FORMAT}", f"rlhfsym {__version__}", f"python {sys.version}"]
    header += [f"{library} {_version(library)}" for library in LIBRARIES]
    digest.update("\n".join(header).encode())
    for root in _package_roots():
        for path in sorted(root.rglob("*.py")):
            digest.update(f"\n{path.relative_to(root).as_posix()}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _path(kind: str) -> Path:
    return cache_dir() / f"{kind}-{source_key()[:32]}.pickle"


def load(kind: str) -> Any | None:
    """The entry ``kind`` written under the current :func:`source_key`, or None (absent, off, unreadable)."""
    if not enabled():
        return None
    try:
        with open(_path(kind), "rb") as handle:
            key, value = pickle.load(handle)
    except Exception:  # absent, truncated, written by another layout: recompute
        return None
    return value if key == source_key() else None


def store(kind: str, value: Any) -> bool:
    """Write ``value`` as entry ``kind`` under the current key (atomically); False if the cache is off or the
    folder cannot be written (the caller just recomputes next time)."""
    if not enabled():
        return False
    path = _path(kind)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{kind}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{kind}-", delete=False) as handle:
            pickle.dump((source_key(), value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return False
    return True
