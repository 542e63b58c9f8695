"""A registry of lemmas: registration by decorator-like call, lookup, and a dependency order.

Every lemma module registers its lemma once (``CHAIN.register(Lemma(...))``); tests and the CLI walk the
registry instead of a hand-kept list.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .statement import Lemma

__all__ = ["Registry", "RegistryError", "rests_on"]


def rests_on(lemma: Lemma, lookup: Mapping[str, Lemma], known: dict[str, frozenset[str]] | None = None) -> frozenset:
    """The names of ``lemma`` and of every lemma it cites, transitively (through citations only; a cited lemma
    missing from ``lookup`` is left out, and is undecided where it is checked). ``known`` memoises across calls."""
    known = {} if known is None else known
    if lemma.name in known:
        return known[lemma.name]
    known[lemma.name] = frozenset({lemma.name})  # while visiting: a cycle adds nothing (it is undecided elsewhere)
    out = {lemma.name}
    for h in lemma.all_hypotheses():
        cited = lookup.get(h.cited_lemma) if h.cited_lemma and h.cited_lemma != lemma.name else None
        if cited is not None:
            out |= rests_on(cited, lookup, known)
    known[lemma.name] = frozenset(out)
    return known[lemma.name]


class RegistryError(ValueError):
    """A lemma is registered twice, cites an unknown lemma, or the dependencies form a cycle."""


class Registry:
    """Named lemmas of one chain, in registration order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lemmas: dict[str, Lemma] = {}

    def register(self, lemma: Lemma) -> Lemma:
        """Add ``lemma``; its name must be new. Returns it, so a module can write ``LEMMA = CHAIN.register(...)``."""
        if lemma.name in self._lemmas:
            raise RegistryError(f"lemma {lemma.name} is registered twice")
        self._lemmas[lemma.name] = lemma
        return lemma

    def __iter__(self) -> Iterator[Lemma]:
        return iter(self._lemmas.values())

    def __len__(self) -> int:
        return len(self._lemmas)

    def __contains__(self, name: object) -> bool:
        return name in self._lemmas

    def get(self, name: str) -> Lemma:
        """The lemma called ``name``; KeyError naming the known ones otherwise."""
        try:
            return self._lemmas[name]
        except KeyError:
            raise KeyError(f"no lemma {name!r} in chain {self.name}; known: {', '.join(self._lemmas)}") from None

    def edges(self) -> list[tuple[str, str]]:
        """Pairs ``(dependency, lemma)``."""
        return [(dep, lemma.name) for lemma in self for dep in lemma.depends_on]

    def ordered(self) -> list[Lemma]:
        """All lemmas, every dependency before its users; otherwise by name, so that the order does not depend on
        the order in which the lemma modules happened to be imported."""
        done: dict[str, Lemma] = {}
        visiting: list[str] = []

        def visit(name: str, user: str | None) -> None:
            if name in done:
                return
            if name not in self._lemmas:
                raise RegistryError(f"lemma {user} depends on {name}, which is not registered")
            if name in visiting:
                cycle = " -> ".join([*visiting[visiting.index(name) :], name])
                raise RegistryError(f"dependency cycle: {cycle}")
            visiting.append(name)
            for dep in self._lemmas[name].depends_on:
                visit(dep, name)
            visiting.pop()
            done[name] = self._lemmas[name]

        for name in sorted(self._lemmas):
            visit(name, None)
        return list(done.values())
