"""Theorems of this chain: a :class:`~rlhfsym.chain.Lemma` of kind ``theorem`` with everything it declares.

Each theorem says what it bounds (a :class:`~rlhfsym.vocabulary.Quantity`: the gap |J(w) - J_S(w)|, the expected
gap, the excess J(w*) - J(w), the distance ||w - w*||), for which :class:`~rlhfsym.vocabulary.Iterate` (optimum,
last, best-gradient) of which :class:`~rlhfsym.vocabulary.Algorithm` (erm, ga, sga-prompt, sga-reinforce), how it
:class:`~rlhfsym.vocabulary.Holds` (deterministically, with probability 1 - delta over the sample, in expectation),
and how it is exercised: its search :class:`~rlhfsym.vocabulary.Plan`, its negative
:class:`~rlhfsym.vocabulary.Control` and its :class:`~rlhfsym.vocabulary.Figure`, if any. Its rates in n and T are
recomputed by the checker. The declaration is registered in :data:`rlhfsym.vocabulary.DECLARED`; the lemma's
``meta`` carries the labels' names (what ``rlhfsym verify --json`` shows).
"""

from __future__ import annotations

from typing import Any

from rlhfsym.chain import Lemma
from rlhfsym.vocabulary import Algorithm, Holds, Iterate, Quantity, Theorem, declare
from rlhfsym.vocabulary.exercise import Ball, Control, Plan, Shape
from rlhfsym.vocabulary.figures import Figure


def theorem(
    *,
    bounds: Quantity,
    iterate: Iterate,
    algorithm: Algorithm,
    holds: Holds,
    rate_n: str,
    rate_T: str | None,
    plan: Plan,
    control: Control,
    figure: Figure | None = None,
    form: str = "",
    step: str = "",
    shape: Shape | None = None,
    runs_within: Ball | None = None,
    establishes: tuple[str, ...] = (),
    **lemma: Any,
) -> Lemma:
    """A theorem with its declaration; ``rate_T=None`` for an algorithm without iterations (the JSON shows null).
    A theorem without a search plan or a negative control cannot be declared."""
    declared = Theorem(
        lemma["name"], bounds, iterate, algorithm, holds, plan, control, figure, form, step, shape or Shape(),
        runs_within, establishes,
    )  # fmt: skip
    meta = {**declared.labels, "rate_n": None, "rate_T": None}
    rates = {"n": rate_n, **({"T": rate_T} if rate_T is not None else {})}
    built = Lemma(kind="theorem", meta=meta, rates=rates, **lemma)
    declare(declared)
    return built
