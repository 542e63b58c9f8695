"""The identities, expanded at K = 2, 3, 4, 5 actions, agree with the chain's proofs for a symbolic K (slow:
``pytest -m slow``).

The chain proves each identity once for a symbolic number K of actions (finite sums, ``proofs/_family.py``). These
cross-checks write the same objects out term by term for small K (``proofs/_model.py``: plain symbols, no sums) and
check the same statements with the same engine: an independent route to the same identities.
"""

from __future__ import annotations

import pytest
import sympy as sp

from rlhfsym.chain import Claim, Lemma, calc, check_lemma


def _model():
    import importlib

    try:
        return importlib.import_module("rlhfsym.proofs._model")
    except ModuleNotFoundError:  # the source tree without an install
        return importlib.import_module("proofs._model")


def _directional(K: int) -> Claim:
    m = _model()
    ref, s, r, u = m.reference(K), m.reals("s", K), m.reals("r", K), m.reals("u", K)
    derivative = sp.diff(m.objective(ref, m.shifted(s, u, m.t), r), m.t).subs(m.t, 0)
    target = m.cov(m.boltzmann(ref, s), u, [ra - m.beta * sa for ra, sa in zip(r, s, strict=True)])
    return Claim("directional", derivative, "==", target, calc(("==", target, "policy gradient")))


def _kl_gap(K: int) -> Claim:
    m = _model()
    ref, s, r = m.reference(K), m.reals("s", K), m.reals("r", K)
    optimum = [ra / m.beta for ra in r]
    gap = m.objective(ref, optimum, r) - m.objective(ref, s, r)
    target = m.beta * m.kl(m.boltzmann(ref, s), m.boltzmann(ref, optimum))
    return Claim("kl_gap", gap, "==", target, calc(("==", target, "KL gap")))


def _ascent(K: int) -> Claim:
    m = _model()
    ref, s, r = m.reference(K), m.reals("s", K), m.reals("r", K)
    pi = m.boltzmann(ref, s)
    u = [ra / m.beta - sa for ra, sa in zip(r, s, strict=True)]
    inner = m.cov(pi, u, [ra - m.beta * sa for ra, sa in zip(r, s, strict=True)])
    return Claim("ascent", inner, "==", m.beta * m.var(pi, u), calc(("==", m.beta * m.var(pi, u), "ascent")))


def _bregman(K: int) -> Claim:
    m = _model()
    ref, s, v = m.reference(K), m.reals("s", K), m.reals("v", K)
    pi_s = m.boltzmann(ref, s)
    form = m.log_partition(ref, v) - m.log_partition(ref, s) - m.mean(pi_s, [b - a for a, b in zip(s, v, strict=True)])
    return Claim("bregman", m.kl(pi_s, m.boltzmann(ref, v)), "==", form, calc(("==", form, "Bregman")))


def _reinforce(K: int) -> Claim:
    m = _model()
    ref, s, r, u = m.reference(K), m.reals("s", K), m.reals("r", K), m.reals("u", K)
    pi = m.boltzmann(ref, s)
    centred = [ua - m.mean(pi, u) for ua in u]
    estimate = m.mean(pi, [(r[a] - m.beta * sp.log(pi[a] / ref[a])) * centred[a] for a in range(K)])
    target = m.cov(pi, u, [ra - m.beta * sa for ra, sa in zip(r, s, strict=True)])
    return Claim("reinforce", estimate, "==", target, calc(("==", target, "REINFORCE")))


BUILDERS = {
    "policy_gradient": _directional,
    "kl_gap": _kl_gap,
    "ascent": _ascent,
    "bregman": _bregman,
    "reinforce": _reinforce,
}


@pytest.mark.slow
@pytest.mark.parametrize("K", [2, 3, 4, 5])
@pytest.mark.parametrize("identity", sorted(BUILDERS))
def test_identity_expanded_term_by_term_holds_for_small_k(identity: str, K: int) -> None:
    lemma = Lemma(f"{identity}_K{K}", f"{identity} at K = {K}", "cross-check", (BUILDERS[identity](K),))
    report = check_lemma(lemma)
    assert report.status == "verified", [s for s in report.steps if s.status != "verified"]
