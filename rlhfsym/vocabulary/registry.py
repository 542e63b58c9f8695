"""A vocabulary: named objects of one kind, registered once, looked up by name, walked by the tests.

>>> colours = Vocabulary("colour")
>>> from collections import namedtuple
>>> red = colours.register(namedtuple("Colour", "name")("red"))
>>> colours["red"] is red, colours.names()
(True, ('red',))
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar

from ..errors import ParameterError

__all__ = ["Named", "Vocabulary"]


class Named(Protocol):
    """Anything with a ``name``."""

    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


class Vocabulary(Generic[T]):
    """The objects of one kind (quantities, algorithms, ...), in registration order, each under a unique name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, item: T, *, replace: bool = False) -> T:
        """Add ``item`` under its name (which must be new unless ``replace``) and return it:
        ``GAP = QUANTITIES.register(...)``."""
        if item.name in self._items and not replace:
            raise ValueError(f"{self.kind} {item.name!r} is registered twice")
        self._items[item.name] = item
        return item

    def __getitem__(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            raise ParameterError(self.kind, f"unknown {self.kind}; known: {', '.join(self._items)}", name) from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def names(self) -> tuple[str, ...]:
        """The registered names, in registration order."""
        return tuple(self._items)
