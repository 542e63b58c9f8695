"""The Python entry points behind the CLI: the chain's registry and its verification.

>>> result = verify(names=["log_le_sub_one"])
>>> result.ok, result.counts()
(True, {'verified': 1, 'failed': 0, 'undecided': 0, 'external': 0})
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .chain import EXTERNAL, FAILED, UNDECIDED, VERIFIED, LemmaReport, Registry
from .chain import iter_check_lemmas as check_lemmas_iter

__all__ = [
    "Record", "Row", "VerifyResult", "VerifyRun", "chain", "default_jobs", "format_steps", "load_registry",
    "start_verify", "verify", "with_chain",
]  # fmt: skip


def chain() -> Registry:
    """The registry of the paper's lemma chain, every proof module imported."""
    from .proofs import load_chain

    return load_chain()


#: The package's own :func:`chain`: the verification record is read only while ``chain`` is this function.
_package_chain = chain


def default_jobs() -> int:
    """Worker processes for checking: the CPUs this process may use, at most 4."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(4, available))


#: The cache entry (:mod:`rlhfsym.cache`) holding the last complete, fully verified check of the chain.
RECORD = "verification"


@dataclass(frozen=True)
class Record:
    """Where reports read from the verification record come from: the UTC time they were checked, and the key
    (package version, library versions, every source file) they were checked under -- the current one, or the
    record would not have been read."""

    written: str
    key: str

    def to_json(self) -> dict:
        return {"written": self.written, "key": self.key}


@dataclass(frozen=True)
class VerifyResult:
    """The reports of a verification run, in dependency order; ``record`` is set when they were read from the
    verification record (checked earlier under the same source key) rather than checked in this run."""

    reports: tuple[LemmaReport, ...]
    record: Record | None = None

    @property
    def ok(self) -> bool:
        """True when every lemma is verified (external facts are taken on trust, never checked)."""
        return all(r.status in (VERIFIED, EXTERNAL) for r in self.reports)

    def counts(self) -> dict[str, int]:
        """How many lemmas are verified, failed, undecided; and how many external facts are taken on trust."""
        return {s: sum(r.status == s for r in self.reports) for s in (VERIFIED, FAILED, UNDECIDED, EXTERNAL)}

    def to_json(self, steps: bool = False) -> dict:
        """``{"schema", "lemmas": [row, ...], "verified": ..., "failed": ..., "undecided": ..., "external": ...,
        "record": null | {"written", "key"}}``; with ``steps``, every row lists its steps."""
        from .output import SCHEMAS

        record = self.record.to_json() if self.record else None
        return {"schema": SCHEMAS["verify"], "lemmas": [r.to_json(steps) for r in self.reports], **self.counts(),
                "record": record}  # fmt: skip


@dataclass(frozen=True)
class Row:
    """What the table shows of a lemma before it is checked: its name, kind and dependencies."""

    name: str
    kind: str
    depends_on: tuple[str, ...]


@dataclass
class VerifyRun:
    """A verification under way: the ``rows`` it will report (known before any check), ``record`` if the reports
    come from the verification record, and ``reports``, an iterator yielding each report as soon as it is known."""

    rows: tuple[Row, ...]
    record: Record | None
    reports: Iterator[LemmaReport]


def _needed(depends_on: Mapping[str, tuple[str, ...]], names: Iterable[str] | None) -> set[str] | None:
    """The named lemmas and everything they depend on (None: all); unknown names are a ParameterError."""
    if names is None:
        return None
    wanted = set(names)
    unknown = sorted(wanted - set(depends_on))
    if unknown:
        from .errors import ParameterError

        raise ParameterError("lemma", f"unknown lemma {', '.join(unknown)}; see `rlhfsym chain`")
    needed: set[str] = set()
    stack = list(wanted)
    while stack:
        name = stack.pop()
        if name not in needed:
            needed.add(name)
            stack.extend(depends_on[name])
    return needed


def _select(registry: Registry, names: Iterable[str] | None) -> list:
    ordered = registry.ordered()
    needed = _needed({lemma.name: tuple(lemma.depends_on) for lemma in ordered}, names)
    return [lemma for lemma in ordered if needed is None or lemma.name in needed]


def _recorded() -> tuple[Record, tuple[LemmaReport, ...]] | None:
    """The verification record under the current source key, if one was written (every lemma sound)."""
    from . import cache

    entry = cache.load(RECORD)
    if entry is None:
        return None
    written, reports = entry
    if chain is not _package_chain:
        return None  # another registry was put in the chain's place (a test, a plugin): it is checked
    if "rlhfsym.proofs._chain" in sys.modules and {lemma.name for lemma in chain()} != {r.name for r in reports}:
        return None  # the chain in memory was changed at run time: the record does not cover it
    return Record(written, cache.source_key()), reports


def _checked(lemmas: list, jobs: int, complete: bool) -> Iterator[LemmaReport]:
    """Check ``lemmas``, yielding each report; a complete check in which every lemma is sound is recorded."""
    from datetime import datetime, timezone

    from . import cache

    reports = []
    for report in check_lemmas_iter(lemmas, jobs=jobs):
        reports.append(report)
        yield report
    if complete and all(r.status in (VERIFIED, EXTERNAL) for r in reports):
        written = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        cache.store(RECORD, (written, tuple(reports)))


def load_registry(source: str) -> Registry:
    """The registry of a user's lemmas: ``path/to/file.py`` (its one module-level :class:`Registry`, or the one
    called ``REGISTRY``), ``path/to/file.py:NAME`` or an importable ``package.module:NAME``. The module is run as
    Python (it is the user's own code, as with pytest). A ``ParameterError`` names what is wrong."""
    import importlib
    import importlib.util

    from .errors import ParameterError

    where, _, name = source.rpartition(":") if ":" in source.replace("\\", "/").split("/")[-1] else (source, "", "")
    if where.endswith(".py") or "/" in where or os.sep in where:
        path = os.path.abspath(where)
        if not os.path.isfile(path):
            raise ParameterError("module", "must be a Python file that exists", where)
        module_name = f"rlhfsym_user_{abs(hash(path)):x}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ParameterError("module", "cannot be imported as a Python module", where)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        loader = spec.loader.exec_module
    else:
        if not name:
            raise ParameterError("registry", "must be MODULE:NAME (an importable module and a Registry in it)", source)
        module, loader = None, None
    try:
        if loader is not None:
            loader(module)
        else:
            module = importlib.import_module(where)
    except ParameterError:
        raise
    except Exception as err:  # the user's module is the user's code: report its error in one line
        raise ParameterError("module", f"importing it raised {type(err).__name__}: {err}", where) from None
    return _registry_in(module, name, where)


def _registry_in(module: object, name: str, where: str) -> Registry:
    """The Registry ``name`` of ``module``, else its ``REGISTRY``, else its only module-level Registry."""
    from .errors import ParameterError
    from .proofs import CHAIN

    if name:
        found = getattr(module, name, None)
        if not isinstance(found, Registry):
            raise ParameterError("module", f"has no Registry called {name}", where)
        return found
    found = getattr(module, "REGISTRY", None)
    if isinstance(found, Registry):
        return found
    registries = {id(v): v for v in vars(module).values() if isinstance(v, Registry) and v is not CHAIN}
    if len(registries) != 1:
        what = "no Registry" if not registries else f"{len(registries)} Registry objects"
        raise ParameterError("module", f"defines {what}; define one (or name it: FILE.py:NAME)", where)
    return next(iter(registries.values()))


def with_chain(registry: Registry) -> Registry:
    """``registry``'s lemmas together with the package's chain, so that a user's lemma may cite the package's
    lemmas by name without registering them again; a user lemma may not take a package lemma's name."""
    from .chain import RegistryError

    combined = Registry(f"{registry.name} + {chain().name}")
    for lemma in chain():
        combined.register(lemma)
    for lemma in registry:
        if lemma.name in combined:
            if combined.get(lemma.name) is lemma:
                continue
            raise RegistryError(f"{lemma.name} is a lemma of the package's chain; give your lemma another name")
        combined.register(lemma)
    return combined


def start_verify(names: Iterable[str] | None = None, jobs: int | None = None, fresh: bool = False,
                 registry: Registry | None = None) -> VerifyRun:
    """Begin checking the chain (or the named lemmas and what they depend on). Unless ``fresh``, a verification
    record written under the current source key (:mod:`rlhfsym.cache`: same package version, libraries and source
    files) is read instead of checking again; without one, every step is checked, and a complete check that
    verifies every lemma is recorded.

    With ``registry`` (a user's lemmas, :func:`load_registry`), its lemmas (or the named ones) are checked with
    every lemma of the package's chain they cite, each checked here, never read from the record."""
    if registry is not None:
        combined = with_chain(registry)
        own = [lemma.name for lemma in registry]
        lemmas = _select(combined, own if names is None else names)
        rows = tuple(Row(lemma.name, lemma.kind, tuple(lemma.depends_on)) for lemma in lemmas)
        return VerifyRun(rows, None, _checked(lemmas, default_jobs() if jobs is None else jobs, complete=False))
    recorded = None if fresh else _recorded()
    if recorded is not None:
        record, reports = recorded
        needed = _needed({r.name: tuple(r.depends_on) for r in reports}, names)
        chosen = tuple(r for r in reports if needed is None or r.name in needed)
        rows = tuple(Row(r.name, r.kind, tuple(r.depends_on)) for r in chosen)
        return VerifyRun(rows, record, iter(chosen))
    lemmas = _select(chain(), names)
    rows = tuple(Row(lemma.name, lemma.kind, tuple(lemma.depends_on)) for lemma in lemmas)
    jobs = default_jobs() if jobs is None else jobs
    return VerifyRun(rows, None, _checked(lemmas, jobs, complete=names is None))


def verify(names: Iterable[str] | None = None, jobs: int | None = None, fresh: bool = False,
           registry: Registry | None = None) -> VerifyResult:
    """Check every lemma of the chain (or the named ones and what they depend on); see :func:`start_verify` for
    the verification record (``fresh=True`` checks every step whatever it holds) and for a user's ``registry``."""
    run = start_verify(names, jobs, fresh, registry)
    return VerifyResult(tuple(run.reports), run.record)


def format_steps(report: LemmaReport) -> str:
    """Every step of a lemma's report with its status, rule and justification (what ``rlhfsym verify --steps``
    prints for each lemma): what it assumes, each step, then what kept it from being verified, if anything."""
    lines = [f"{report.name}: {report.status}  [{report.scope}]"]
    lines += [f"  {'assumes':<10} {assumption}" for assumption in report.assumptions]
    for step in report.steps:
        where = f"{step.claim}#{step.index}" if step.index else f"{step.claim}"
        lines.append(f"  {step.status:<10} {where:<18} {step.rule:<22} {step.relation}")
        if step.why:
            lines.append(f"  {'':<10} {'':<18} {'':<22} because: {step.why}")
        if step.detail:
            lines.append(f"  {'':<10} {'':<18} {'':<22} {step.detail[:600]}")
    lines += [f"  {'undecided':<10} {problem}" for problem in report.problems]
    return "\n".join(lines)
