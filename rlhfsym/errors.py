"""Errors raised by rlhfsym when a value breaks a stated rule.

Every rejection names the parameter and the rule it broke, so that the CLI can print it as one line.
"""

from __future__ import annotations

__all__ = ["ParameterError", "RlhfsymError"]


class RlhfsymError(Exception):
    """Base class of every error rlhfsym raises on purpose."""


class ParameterError(RlhfsymError, ValueError):
    """A parameter value broke a rule: ``ParameterError("beta", "must be > 0", value)``.

    ``str(err)`` reads ``parameter beta = -1: must be > 0``.
    """

    def __init__(self, parameter: str, rule: str, value: object = None) -> None:
        self.parameter = parameter
        self.rule = rule
        self.value = value
        shown = "" if value is None else f" = {_short(value)}"
        super().__init__(f"parameter {parameter}{shown}: {rule}")


def _short(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 3] + "..."
