"""Numerical model of KL-regularised RLHF with a linear reward and a Boltzmann (softmax) policy.

Public API
----------
Instances (``instance``):
    ``Instance(features, weights, theta, pi_ref, beta)``, ``random_instance(seed, *, N, K, d, beta, B, S,
    ref_concentration)``, ``sample_prompts(instance, n, seed)``, ``empirical_weights(instance, indices)``,
    ``every_sample(instance, n)`` (every multiset of n prompts with its probability).
Instance geometry (``geometry``): the array builders of ``rlhfsym.testing``'s cases (balls, rotations, covered,
    squeezed and subspace features, reference policies).
Policy quantities (``policy``; ``weights=None`` is the population, ``prompts`` restricts per-prompt outputs):
    ``log_policy``, ``policy``, ``log_partition``, ``mean_features``, ``covariances``, ``covariance``,
    ``per_prompt_objective``, ``objective``, ``gradient``, ``per_prompt_gradient``, ``kl``, ``coverage``,
    ``reinforce_estimate``, and the array kernel
    ``weighted_gradient(features, log_ref, weights, theta, beta, w)``.
Constants of the bounds (``measure``):
    ``measure_parameters(inst, indices, *, residual=False)`` -> dict with keys B, S, beta, n, K, d, gamma, gamma_D
    (and residual); ``per_prompt_coverage(inst)`` -> min_x lambda_min(Sigma_0(x)), the least coverage of any sample.
Instance files (``files``, not imported here): ``read_instance(path, *, beta, limits, max_entries)`` -> an
    ``InstanceFile`` (``instance``, ``indices``) from an .npz file of features, theta, pi_ref, weights (and
    optionally indices, beta), every array validated (``rlhfsym simulate --instance``).
Algorithms (``algorithms``):
    ``gradient_ascent(inst, weights, eta, T, w0=None)``, ``sga_prompt(inst, indices, eta, T, seed, w0=None)``,
    ``sga_reinforce(inst, indices, eta, T, seed, w0=None)``, ``sga_reinforce_projected(...)`` (the same, projected
    onto ||w|| <= ||theta*||/beta after every step; ``project_onto_ball(w, radius)``), all returning an
    ``AscentResult``.
"""

from rlhfsym.numerics.algorithms import (
    AscentResult,
    gradient_ascent,
    project_onto_ball,
    sga_prompt,
    sga_reinforce,
    sga_reinforce_projected,
)
from rlhfsym.numerics.instance import Instance, empirical_weights, every_sample, random_instance, sample_prompts
from rlhfsym.numerics.measure import covered_subspace, measure_parameters, per_prompt_coverage, uncovered_residual
from rlhfsym.numerics.policy import (
    covariance,
    covariances,
    coverage,
    gradient,
    kl,
    log_partition,
    log_policy,
    mean_features,
    objective,
    per_prompt_gradient,
    per_prompt_objective,
    policy,
    reinforce_estimate,
    weighted_gradient,
)

__all__ = [
    "AscentResult",
    "Instance",
    "covariance",
    "covariances",
    "coverage",
    "covered_subspace",
    "empirical_weights",
    "every_sample",
    "gradient",
    "gradient_ascent",
    "kl",
    "log_partition",
    "log_policy",
    "mean_features",
    "measure_parameters",
    "objective",
    "per_prompt_coverage",
    "per_prompt_gradient",
    "per_prompt_objective",
    "policy",
    "project_onto_ball",
    "random_instance",
    "reinforce_estimate",
    "sample_prompts",
    "sga_prompt",
    "sga_reinforce",
    "sga_reinforce_projected",
    "uncovered_residual",
    "weighted_gradient",
]
