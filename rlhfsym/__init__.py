"""rlhfsym: the generalization theory of KL-regularised RLHF (arXiv:2601.16403) as checked, executable mathematics.

Entry points (sympy is imported on first use, so ``import rlhfsym`` is cheap):

* :func:`verify` -- check every lemma of the chain; :func:`chain` -- the registry of lemmas;
* :mod:`rlhfsym.setting` -- the parameters as sympy symbols and the validation of values;
* :mod:`rlhfsym.numerics` -- exact RLHF quantities and algorithms on finite prompt distributions (numpy only);
* :mod:`rlhfsym.chain` -- the lemma-checking engine (knows nothing about RLHF);
* :mod:`rlhfsym.proofs` -- the chain itself, one module per lemma.
"""

from __future__ import annotations

from typing import Any

from .errors import ParameterError, RlhfsymError

__version__ = "0.1.0"
__all__ = ["ParameterError", "RlhfsymError", "__version__", "chain", "verify"]


def __getattr__(name: str) -> Any:
    if name in ("chain", "verify"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'rlhfsym' has no attribute {name!r}")
