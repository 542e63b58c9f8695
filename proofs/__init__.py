"""The lemma chain of "Towards a Theoretical Understanding to the Generalization of RLHF" (arXiv:2601.16403).

One module per lemma or theorem, each registering itself in :data:`CHAIN`; :func:`load_chain` imports them all.
The setting adopted is described in docs/setting.md; docs/identities.md says what each proof covers.
"""

from __future__ import annotations

import importlib
import pkgutil

from rlhfsym.chain import Registry

from ._chain import CHAIN

__all__ = ["CHAIN", "load_chain"]


def load_chain() -> Registry:
    """Import every proof module (each registers its lemma) and return the registry."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return CHAIN
