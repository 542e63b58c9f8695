"""Every broken rule raises ParameterError naming the parameter; a valid instance is stored read-only."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from rlhfsym.errors import ParameterError
from rlhfsym.numerics import (
    Instance,
    empirical_weights,
    gradient,
    gradient_ascent,
    kl,
    objective,
    random_instance,
    reinforce_estimate,
    sample_prompts,
    sga_prompt,
)

N, K, d = 3, 4, 2


def valid_arguments() -> dict[str, object]:
    rng = np.random.default_rng(0)
    return {
        "features": rng.uniform(-0.5, 0.5, (N, K, d)),
        "weights": np.full(N, 1.0 / N),
        "theta": np.array([1.0, -0.5]),
        "pi_ref": np.full((N, K), 1.0 / K),
        "beta": 0.7,
    }


def _with(name: str, change: Callable[[np.ndarray], object]) -> dict[str, object]:
    arguments = valid_arguments()
    arguments[name] = change(np.array(arguments[name], dtype=float))
    return arguments


def _set(array: np.ndarray, index: tuple[int, ...], value: float) -> np.ndarray:
    array[index] = value
    return array


BAD_INSTANCES = [
    pytest.param(_with("features", lambda f: _set(f, (0, 1, 0), np.nan)), "features", "finite", id="features-nan"),
    pytest.param(_with("features", lambda f: _set(f, (2, 0, 1), np.inf)), "features", "finite", id="features-inf"),
    pytest.param(_with("features", lambda f: f[:, :, 0]), "features", "3 axes", id="features-2d"),
    pytest.param(_with("features", lambda f: f[:, :1, :]), "features", "K >= 2", id="features-one-action"),
    pytest.param(_with("features", lambda f: f[:, :, :0]), "features", "d >= 1", id="features-no-dimension"),
    pytest.param(_with("features", lambda f: [["a"]]), "features", "real numbers", id="features-strings"),
    pytest.param(_with("weights", lambda w: w[:2]), "weights", "expected", id="weights-wrong-shape"),
    pytest.param(_with("weights", lambda w: np.array([1.5, -0.5, 0.0])), "weights", ">= 0", id="weights-negative"),
    pytest.param(_with("weights", lambda w: w * 0.9), "weights", "sum to 1", id="weights-sum"),
    pytest.param(_with("weights", lambda w: _set(w, (0,), np.nan)), "weights", "finite", id="weights-nan"),
    pytest.param(_with("theta", lambda t: np.zeros(d + 1)), "theta", "expected", id="theta-wrong-shape"),
    pytest.param(_with("theta", lambda t: _set(t, (1,), np.nan)), "theta", "finite", id="theta-nan"),
    pytest.param(_with("pi_ref", lambda p: p[:, :3]), "pi_ref", "(N,K)=(3, 4) expected", id="pi-ref-wrong-shape"),
    pytest.param(_with("pi_ref", lambda p: _set(p, (1, 2), 0.3)), "pi_ref", "rows must sum to 1",
                 id="pi-ref-row-sum"),
    pytest.param(_with("pi_ref", lambda p: np.array([[0.5, 0.5, 0.0, 0.0]] * N)), "pi_ref", "> 0",
                 id="pi-ref-zero-entry"),
    pytest.param(_with("pi_ref", lambda p: np.array([[0.75, 0.5, -0.25, 0.0]] * N)), "pi_ref", "> 0",
                 id="pi-ref-negative-entry"),
    pytest.param(_with("pi_ref", lambda p: _set(p, (0, 0), np.nan)), "pi_ref", "finite", id="pi-ref-nan"),
    pytest.param({**valid_arguments(), "beta": 0.0}, "beta", "> 0", id="beta-zero"),
    pytest.param({**valid_arguments(), "beta": -1.0}, "beta", "> 0", id="beta-negative"),
    pytest.param({**valid_arguments(), "beta": float("nan")}, "beta", "finite", id="beta-nan"),
    pytest.param({**valid_arguments(), "beta": float("inf")}, "beta", "finite", id="beta-inf"),
    pytest.param({**valid_arguments(), "beta": "big"}, "beta", "real number", id="beta-string"),
]


@pytest.mark.parametrize(("arguments", "parameter", "rule_fragment"), BAD_INSTANCES)
def test_instance_rejects_broken_rule_naming_parameter(
    arguments: dict[str, object], parameter: str, rule_fragment: str
) -> None:
    with pytest.raises(ParameterError) as caught:
        Instance(**arguments)  # type: ignore[arg-type]
    assert caught.value.parameter == parameter
    assert rule_fragment in caught.value.rule
    assert isinstance(caught.value, ValueError)


def test_valid_instance_is_copied_and_read_only() -> None:
    arguments = valid_arguments()
    inst = Instance(**arguments)  # type: ignore[arg-type]
    arguments["features"][0, 0, 0] = 99.0  # type: ignore[index]
    assert inst.features[0, 0, 0] != 99.0
    for name in ("features", "weights", "theta", "pi_ref", "log_pi_ref"):
        array = getattr(inst, name)
        assert array.dtype == np.float64
        with pytest.raises(ValueError):
            array.flat[0] = 1.0
    assert (inst.N, inst.K, inst.d) == (N, K, d)
    np.testing.assert_array_equal(inst.w_star, inst.theta / inst.beta)


def test_weights_within_tolerance_of_one_are_accepted() -> None:
    arguments = _with("weights", lambda w: w * (1 + 1e-11))
    assert Instance(**arguments).N == N  # type: ignore[arg-type]


@pytest.fixture
def small() -> Instance:
    return Instance(**valid_arguments())  # type: ignore[arg-type]


BAD_VECTORS = [
    pytest.param(np.zeros(d + 1), id="too-long"),
    pytest.param(np.zeros((d, 1)), id="column"),
    pytest.param(np.array([0.0, np.nan]), id="nan"),
    pytest.param(np.array([np.inf, 0.0]), id="inf"),
]


@pytest.mark.parametrize("bad", BAD_VECTORS)
def test_parameter_vector_must_have_shape_d_and_be_finite(small: Instance, bad: np.ndarray) -> None:
    with pytest.raises(ParameterError) as caught:
        gradient(small, bad)
    assert caught.value.parameter == "w"
    with pytest.raises(ParameterError) as caught:
        kl(small, np.zeros(d), bad)
    assert caught.value.parameter == "v"
    with pytest.raises(ParameterError) as caught:
        gradient_ascent(small, None, 0.1, 3, w0=bad)
    assert caught.value.parameter == "w0"


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        pytest.param(lambda i: objective(i, np.zeros(d), np.array([0.5, 0.5])), "weights", id="weights-shape"),
        pytest.param(lambda i: objective(i, np.zeros(d), np.array([0.7, 0.7, -0.4])), "weights",
                     id="weights-negative"),
        pytest.param(lambda i: sample_prompts(i, 0, 1), "n", id="n-zero"),
        pytest.param(lambda i: sample_prompts(i, 2.5, 1), "n", id="n-float"),
        pytest.param(lambda i: sample_prompts(i, 5, -1), "seed", id="seed-negative"),
        pytest.param(lambda i: empirical_weights(i, [0, N]), "indices", id="index-too-large"),
        pytest.param(lambda i: empirical_weights(i, [-1]), "indices", id="index-negative"),
        pytest.param(lambda i: empirical_weights(i, []), "indices", id="indices-empty"),
        pytest.param(lambda i: empirical_weights(i, [0.0, 1.0]), "indices", id="indices-float"),
        pytest.param(lambda i: reinforce_estimate(i, np.zeros(d), N, 0), "prompt", id="prompt-range"),
        pytest.param(lambda i: reinforce_estimate(i, np.zeros(d), 0, K), "action", id="action-range"),
        pytest.param(lambda i: gradient_ascent(i, None, 0.0, 3), "eta", id="eta-zero"),
        pytest.param(lambda i: gradient_ascent(i, None, np.nan, 3), "eta", id="eta-nan"),
        pytest.param(lambda i: gradient_ascent(i, None, 0.1, -1), "T", id="T-negative"),
        pytest.param(lambda i: gradient_ascent(i, None, 0.1, 2.0), "T", id="T-float"),
        pytest.param(lambda i: sga_prompt(i, [0, 1], np.ones(4), 3, 0), "eta", id="eta-array-wrong-length"),
        pytest.param(lambda i: sga_prompt(i, [0, 1], np.array([0.1, 0.0, 0.1]), 3, 0), "eta",
                     id="eta-array-zero-entry"),
        pytest.param(lambda i: sga_prompt(i, [0, 1], lambda t: -1.0, 3, 0), "eta", id="eta-schedule-negative"),
        pytest.param(lambda i: random_instance(0, K=1), "K", id="random-K"),
        pytest.param(lambda i: random_instance(0, B=0.0), "B", id="random-B"),
        pytest.param(lambda i: random_instance(0, beta=-2.0), "beta", id="random-beta"),
    ],
)
def test_function_arguments_are_validated(small: Instance, call: Callable[[Instance], object],
                                          parameter: str) -> None:
    with pytest.raises(ParameterError) as caught:
        call(small)
    assert caught.value.parameter == parameter
