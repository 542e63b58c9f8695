"""The lemma-checking engine. It knows nothing about RLHF: it would serve any paper's chain.

Main objects: :class:`Lemma` (claims proved by ``calc`` chains, hypotheses, dependencies, constants),
:class:`Derivation` (the composition rule: a bound built by applying facts where the expression is monotone),
:class:`Registry`, and :func:`check_lemmas`, which checks every step by the rule it names and reports each lemma as
``verified``, ``failed`` (with the step and the residual or counterexample) or ``undecided``. Each rule
(:mod:`rlhfsym.chain.rules`) states the argument that makes it sound and checks every premise of it;
:data:`SOUNDNESS` lists them.
"""

from .check import (
    LemmaReport,
    StepReport,
    check_lemma,
    check_lemmas,
    check_step,
    compose_relations,
    iter_check_lemmas,
    trusted_externals,
    worst,
)
from .citations import check_citation, undischarged
from .compose import CompositionError, Derivation, Substitute, as_function_of, citation
from .decide import EXTERNAL, FAILED, UNDECIDED, VERIFIED, Verdict, decide_nonneg, decide_zero, is_nonneg
from .rates import Rate, RateError, leading_rate
from .registry import Registry, RegistryError
from .rules import SOUNDNESS, StepContext, StepKind
from .statement import (
    INDUCTION_HYPOTHESIS,
    Algebra,
    Box,
    Claim,
    FirstDerivativeTest,
    Hypothesis,
    Induction,
    Lemma,
    Monotone,
    Rule,
    Step,
    calc,
)

__all__ = [
    "EXTERNAL",
    "FAILED",
    "INDUCTION_HYPOTHESIS",
    "SOUNDNESS",
    "UNDECIDED",
    "VERIFIED",
    "Algebra",
    "Box",
    "Claim",
    "CompositionError",
    "Derivation",
    "FirstDerivativeTest",
    "Hypothesis",
    "Induction",
    "Lemma",
    "LemmaReport",
    "Monotone",
    "Rate",
    "RateError",
    "Registry",
    "RegistryError",
    "Rule",
    "Step",
    "StepContext",
    "StepKind",
    "StepReport",
    "Substitute",
    "Verdict",
    "as_function_of",
    "calc",
    "check_citation",
    "check_lemma",
    "check_lemmas",
    "check_step",
    "citation",
    "compose_relations",
    "decide_nonneg",
    "decide_zero",
    "is_nonneg",
    "iter_check_lemmas",
    "leading_rate",
    "trusted_externals",
    "undischarged",
    "worst",
]
