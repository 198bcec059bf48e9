"""What a described call does, in the form the capture engine consumes on its hot path.

These are plain classes and named tuples, not pydantic models or dataclasses: the
engine builds one :class:`CallEffects` per described call, and this module is imported
by every traced session, where a frozen dataclass costs a millisecond to define and
microseconds to instantiate.

A :class:`Ref` names a value *relative to one call*: its receiver, its result, an
argument. :meth:`CallEffects.resolve` turns a ref into the actual objects of that call.
External state (files, databases) is not a value, so it is kept apart, in
``external_writes`` / ``external_reads``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple, Protocol, TypeVar

_T = TypeVar("_T")

# Ref kinds. Plain strings: comparing interned strings is as fast as it gets.
SELF = "self"
RESULT = "result"
POSITIONAL = "positional"
KEYWORD = "keyword"
ALL_POSITIONAL = "all_positional"
REF_KINDS: tuple[str, ...] = (SELF, RESULT, POSITIONAL, KEYWORD, ALL_POSITIONAL)


class Ref(NamedTuple):
    """One value of a call: ``kind`` is one of :data:`REF_KINDS`.

    ``position`` is set for ``positional`` (0-based, not counting the receiver), ``name``
    for ``keyword``.
    """

    kind: str
    position: int = -1
    name: str = ""

    def __str__(self) -> str:
        if self.kind == POSITIONAL:
            return f"arg{self.position}"
        if self.kind == KEYWORD:
            return f"{self.name}="
        return self.kind


SELF_REF = Ref(SELF)
RESULT_REF = Ref(RESULT)
ALL_POSITIONAL_REF = Ref(ALL_POSITIONAL)


class Effects(NamedTuple):
    """The side effects of a call, independent of any particular call's values.

    An instance with nothing in it is meaningful: the call was described as pure.
    """

    mutated: tuple[Ref, ...] = ()
    views: tuple[tuple[Ref, ...], ...] = ()
    dependencies: tuple[Ref, ...] = ()
    external_writes: frozenset[str] = frozenset()
    external_reads: frozenset[str] = frozenset()

    @property
    def is_pure(self) -> bool:
        return not self.mutated and not self.external_writes

    def merged(self, other: Effects) -> Effects:
        """Both descriptions at once (several annotations can match one call)."""
        if other is self or not other._has_any():
            return self
        if not self._has_any():
            return other
        return Effects(
            mutated=_unique(self.mutated + other.mutated),
            views=_unique(self.views + other.views),
            dependencies=_unique(self.dependencies + other.dependencies),
            external_writes=self.external_writes | other.external_writes,
            external_reads=self.external_reads | other.external_reads,
        )

    def with_mutated(self, refs: Iterable[Ref]) -> Effects:
        """These effects, with ``refs`` mutated as well."""
        return Effects(
            mutated=_unique(self.mutated + tuple(refs)),
            views=self.views,
            dependencies=self.dependencies,
            external_writes=self.external_writes,
            external_reads=self.external_reads,
        )

    def _has_any(self) -> bool:
        return bool(
            self.mutated
            or self.views
            or self.dependencies
            or self.external_writes
            or self.external_reads
        )


PURE = Effects()


def _unique(items: tuple[_T, ...]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))


class ParameterSource(Protocol):
    """Knows where each parameter of a callable sits among its positional arguments."""

    def positions(self, func: object) -> Mapping[str, int] | None: ...


class CallEffects:
    """The effects of one call about to happen, with what its refs point to.

    ``receiver`` is what ``self_ref`` means for this call: the bound instance of a
    method, the module named by the annotation for a module-level function, the
    callable object itself for a callable instance such as a numpy ufunc.
    ``arg_offset`` is 1 when the call was ``Class.method(obj, ...)``: ``obj`` is the
    receiver and positional refs count from the argument after it.
    """

    __slots__ = ("effects", "receiver", "arg_offset", "_parameters", "_func")

    def __init__(
        self,
        effects: Effects,
        receiver: object,
        arg_offset: int = 0,
        parameters: ParameterSource | None = None,
        func: object = None,
    ) -> None:
        self.effects = effects
        self.receiver = receiver
        self.arg_offset = arg_offset
        self._parameters = parameters
        self._func = func

    @property
    def mutated(self) -> tuple[Ref, ...]:
        """Values the call changes in place."""
        return self.effects.mutated

    @property
    def views(self) -> tuple[tuple[Ref, ...], ...]:
        """Groups of values that share state after the call: changing one changes all."""
        return self.effects.views

    @property
    def dependencies(self) -> tuple[Ref, ...]:
        """Values the call reads without receiving them as an argument."""
        return self.effects.dependencies

    @property
    def external_writes(self) -> frozenset[str]:
        """External state the call changes: ``"file_system"``, ``"db"``."""
        return self.effects.external_writes

    @property
    def external_reads(self) -> frozenset[str]:
        """External state the call reads."""
        return self.effects.external_reads

    @property
    def is_pure(self) -> bool:
        """Nothing is mutated and no external state is written."""
        return self.effects.is_pure

    def resolve(
        self,
        ref: Ref,
        args: tuple[object, ...],
        kwargs: Mapping[str, object],
        result: object = None,
    ) -> list[object]:
        """The objects ``ref`` stands for in this call (``args`` exactly as called).

        Unlike the module-level :func:`resolve`, this knows the call's receiver, the
        argument offset of ``Class.method(obj, ...)`` calls, and the callable's
        signature, so ``argument_keyword: out`` finds ``out`` passed positionally.
        """
        if self.arg_offset:
            args = args[self.arg_offset :]
        if ref.kind == POSITIONAL and ref.position >= len(args):
            name = self._parameter_name(ref.position)
            if name is not None and name in kwargs:
                return _items(kwargs[name])
            return []
        if ref.kind == KEYWORD and ref.name not in kwargs:
            position = self._parameter_position(ref.name)
            if position is None or position >= len(args):
                return []
            if ref.name == "out" and type(self._func).__name__ == "ufunc":
                # np.divmod(x, y, out1, out2): every output after the inputs.
                return list(args[position : position + getattr(self._func, "nout", 1)])
            return _items(args[position])
        return resolve(ref, self.receiver, args, kwargs, result)

    def _positions(self) -> Mapping[str, int] | None:
        if self._parameters is None:
            return None
        return self._parameters.positions(self._func)

    def _parameter_position(self, name: str) -> int | None:
        positions = self._positions()
        return positions.get(name) if positions else None

    def _parameter_name(self, index: int) -> str | None:
        positions = self._positions()
        if not positions:
            return None
        for name, position in positions.items():
            if position == index:
                return name
        return None

    def __repr__(self) -> str:
        parts = []
        if self.mutated:
            parts.append("mutated=" + ",".join(map(str, self.mutated)))
        if self.views:
            parts.append("views=" + ";".join(",".join(map(str, group)) for group in self.views))
        if self.dependencies:
            parts.append("dependencies=" + ",".join(map(str, self.dependencies)))
        if self.external_writes:
            parts.append("external_writes=" + ",".join(sorted(self.external_writes)))
        if self.external_reads:
            parts.append("external_reads=" + ",".join(sorted(self.external_reads)))
        return f"CallEffects({' '.join(parts) or 'pure'})"


def resolve(
    ref: Ref,
    self: object,
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
    result: object = None,
) -> list[object]:
    """The objects ``ref`` stands for, given a call's receiver, arguments and result.

    ``args`` excludes the receiver. A missing argument resolves to nothing. Tuples are
    immutable, so a ref that resolves to a tuple stands for its items (numpy's
    ``out=(a, b)``, ``fig, ax = plt.subplots()``).
    """
    kind = ref.kind
    if kind == SELF:
        return [] if self is None else [self]
    if kind == RESULT:
        return _items(result)
    if kind == POSITIONAL:
        return _items(args[ref.position]) if ref.position < len(args) else []
    if kind == KEYWORD:
        return _items(kwargs[ref.name]) if ref.name in kwargs else []
    if kind == ALL_POSITIONAL:
        out: list[object] = []
        for value in args:
            out.extend(_items(value))
        return out
    raise ValueError(f"unknown reference kind {kind!r}")


def _items(value: object) -> list[object]:
    if type(value) is tuple:
        return list(value)
    return [value]
