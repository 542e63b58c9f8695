"""rlhfsym: the generalization theory of KL-regularised RLHF (arXiv:2601.16403) as checked, executable mathematics.

Entry points (sympy is imported on first use, so ``import rlhfsym`` is cheap):

* :func:`verify` -- check every lemma of the chain; ``rlhfsym.api.chain()`` -- the registry of lemmas (the name
  ``rlhfsym.chain`` is the engine's subpackage);
* :func:`theorems`, :func:`bound`, :func:`bound_all`, :func:`sample_size` -- certified values of the theorems'
  bounds (:mod:`rlhfsym.bounds`, evaluated by :mod:`rlhfsym.interval`, written out by :mod:`rlhfsym.output`); a
  bound's result has a short ``repr``, ``float(result)`` (its certified upper value, rounded up to a float) and
  ``_repr_latex_`` for notebooks;
* :func:`check` -- a value your own code measured beside the bound certified at the parameters it measured (floats
  entered as intervals that contain them, :mod:`rlhfsym.measured`); ``rlhfsym.testing.assert_within_bound`` is the
  test assertion;
* :mod:`rlhfsym.setting` -- the parameters as sympy symbols and the validation of values;
* :mod:`rlhfsym.numerics` -- exact RLHF quantities and algorithms on finite prompt distributions (numpy only);
* :mod:`rlhfsym.chain` -- the lemma-checking engine (knows nothing about RLHF);
* :mod:`rlhfsym.proofs` -- the chain itself, one module per lemma.
"""

from __future__ import annotations

from typing import Any

from .errors import ParameterError, RlhfsymError

__version__ = "0.1.0"
__all__ = [
    "ParameterError", "RlhfsymError", "__version__", "bound", "bound_all", "check", "sample_size", "theorems", "verify"
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name == "verify":
        from . import api

        return getattr(api, name)
    if name in ("bound", "bound_all", "sample_size", "theorems"):
        from . import bounds

        return getattr(bounds, name)
    if name == "check":
        from . import measured

        return measured.check
    raise AttributeError(f"module 'rlhfsym' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names and every public one, the lazy functions included (``dir(rlhfsym)``, completion)."""
    return sorted(set(globals()) | set(__all__))
