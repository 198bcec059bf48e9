"""Validated packs compiled into lookup rules, with a clear precedence between packs.

Each annotation describes *targets*: a module-level function, a method of a class, or
a keyword condition (``inplace=True`` on a class's methods). Rules are keyed by target
and by condition, so that precedence can be stated simply:

* annotations of one pack that describe the same target are combined (their side
  effects are unioned);
* a later pack that describes a target replaces what earlier packs said about exactly
  that target (unconditional effects and each keyword condition are separate targets),
  so a user pack can correct a core pack without restating everything else.

Packs are applied in the order given: registered packs first, then the user's packs
from ``customized_annotation_folder`` in file-name order.

The finished :class:`RuleSet` is plain tuples and dicts grouped the way the index
resolves them (module, then class): it is built once per set of packs and cached on
disk (:mod:`~linea_core.annotations.pack_cache`), and this module is on the path of
every traced session, so it defines no dataclasses (each costs about a millisecond to
create at import).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from linea_core.annotations.effects import Effects

if TYPE_CHECKING:
    from linea_core.annotations.loader import LoadedPack
    from linea_core.annotations.records import AnnotationRecord


class Condition:
    """Extra effects when keyword ``keyword`` is passed with ``value``.

    ``any_value``: the pack left ``keyword_arg_value`` out, so any value other than
    ``None`` matches (numpy's ``out=``).
    """

    __slots__ = ("keyword", "value", "any_value", "effects")

    def __init__(self, keyword: str, value: object, any_value: bool, effects: Effects) -> None:
        self.keyword = keyword
        self.value = value
        self.any_value = any_value
        self.effects = effects

    def accepts(self, value: object) -> bool:
        if self.any_value:
            return value is not None
        return same_value(value, self.value)

    def _fields(self) -> tuple[Any, ...]:
        return (self.keyword, self.value, self.any_value, self.effects)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Condition:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # ``value`` may be a list

    def __repr__(self) -> str:
        value = "<any but None>" if self.any_value else repr(self.value)
        return f"Condition({self.keyword}={value}: {self.effects})"


def same_value(value: object, expected: object) -> bool:
    """``value == expected`` without trusting arbitrary ``__eq__`` implementations."""
    if value is expected:
        return True
    try:
        outcome = value == expected
    except Exception:
        return False
    if outcome is True or outcome is False:
        return outcome
    if type(outcome).__name__ == "bool_":  # a numpy scalar boolean
        return bool(outcome)
    return False


# What the packs say about one function or method: its unconditional effects (None when
# it is described only under keyword conditions) and its keyword conditions.
Rule = tuple["Effects | None", "tuple[Condition, ...]"]


class RuleSet:
    """All rules of a list of packs, grouped by the module they are looked up in.

    ``functions``: module -> function name -> rule; ``methods``: module -> (class
    path, method name) -> rule; ``class_conditions``: module -> class path ->
    conditions on every method of the class. Every table keeps the order in which the
    packs first named each target: it decides the order in which effects are merged.
    """

    __slots__ = ("functions", "methods", "class_conditions")

    def __init__(
        self,
        functions: dict[str, dict[str, Rule]] | None = None,
        methods: dict[str, dict[tuple[str, str], Rule]] | None = None,
        class_conditions: dict[str, dict[str, tuple[Condition, ...]]] | None = None,
    ) -> None:
        self.functions = functions if functions is not None else {}
        self.methods = methods if methods is not None else {}
        self.class_conditions = class_conditions if class_conditions is not None else {}

    def modules(self) -> list[str]:
        """Every module some rule is looked up in, in first-seen order."""
        names: dict[str, None] = {}
        for table in (self.functions, self.methods, self.class_conditions):
            names.update(dict.fromkeys(table))
        return list(names)


def compile_packs(packs: Iterable[LoadedPack]) -> RuleSet:
    """Build the rule set of validated packs; see the module docstring for precedence."""
    from linea_core.annotations.records import compile_entries

    return compile_records(compile_entries(pack.entries) for pack in packs)


def compile_records(packs: Iterable[Iterable[AnnotationRecord]]) -> RuleSet:
    """Build the rule set from each pack's records, packs in precedence order."""
    builder = _Builder()
    for number, records in enumerate(packs):
        for record in records:
            builder.add(number, record)
    return builder.finish()


class _Target:
    """A rule while packs are being applied."""

    __slots__ = ("effects", "conditions")

    def __init__(self) -> None:
        self.effects: Effects | None = None
        self.conditions: list[Condition] = []

    def freeze(self) -> Rule:
        return (self.effects, tuple(self.conditions))


class _Builder:
    def __init__(self) -> None:
        # module -> name -> target; module -> (class path, method) -> target
        self.functions: dict[str, dict[str, _Target]] = {}
        self.methods: dict[str, dict[tuple[str, str], _Target]] = {}
        self.class_conditions: dict[str, dict[str, list[Condition]]] = {}
        # target key -> number of the pack that owns it
        self._owner: dict[tuple[Any, ...], int] = {}

    def _claim(self, key: tuple[Any, ...], pack: int) -> bool:
        """True when ``pack`` starts owning ``key`` (its earlier content must be dropped)."""
        previous = self._owner.get(key)
        self._owner[key] = pack
        return previous is not None and previous != pack

    def add(self, pack: int, record: AnnotationRecord) -> None:
        module = record.module
        effects = record.effects
        keyword = record.keyword
        class_instance = record.class_instance
        condition = None
        if keyword is not None:
            condition = Condition(keyword, record.keyword_value, record.any_value, effects)
        value_key = _value_key(record.keyword_value, record.any_value)
        functions = self.functions.setdefault(module, {})
        for name in record.functions:
            target = functions.setdefault(name, _Target())
            key: tuple[Any, ...] = ("f", module, name)
            self._add_to(target, key, pack, effects, condition, keyword, value_key)
        methods = self.methods.setdefault(module, {})
        for name in record.methods:
            assert class_instance is not None  # enforced by the spec
            target = methods.setdefault((class_instance, name), _Target())
            key = ("m", module, class_instance, name)
            self._add_to(target, key, pack, effects, condition, keyword, value_key)
        if condition is not None and not record.functions and not record.methods:
            assert class_instance is not None  # enforced by the spec
            per_module = self.class_conditions.setdefault(module, {})
            conditions = per_module.setdefault(class_instance, [])
            key = ("c", module, class_instance, keyword, value_key)
            if self._claim(key, pack):
                conditions[:] = [
                    c for c in conditions if not _same_condition(c, keyword, value_key)
                ]
            conditions.append(condition)

    def _add_to(
        self,
        target: _Target,
        key: tuple[Any, ...],
        pack: int,
        effects: Effects,
        condition: Condition | None,
        keyword: str | None,
        value_key: tuple[Any, ...],
    ) -> None:
        if condition is None:
            if self._claim(key, pack):
                target.effects = None
            target.effects = effects if target.effects is None else target.effects.merged(effects)
            return
        if self._claim((*key, keyword, value_key), pack):
            target.conditions[:] = [
                c for c in target.conditions if not _same_condition(c, keyword, value_key)
            ]
        target.conditions.append(condition)

    def finish(self) -> RuleSet:
        return RuleSet(
            functions={
                module: {name: target.freeze() for name, target in table.items()}
                for module, table in self.functions.items()
            },
            methods={
                module: {key: target.freeze() for key, target in table.items()}
                for module, table in self.methods.items()
            },
            class_conditions={
                module: {class_path: tuple(found) for class_path, found in table.items()}
                for module, table in self.class_conditions.items()
            },
        )


def _value_key(value: object, any_value: bool) -> tuple[Any, ...]:
    if any_value:
        return ("any",)
    return ("value", type(value).__name__, repr(value))


def _same_condition(condition: Condition, keyword: str | None, value_key: tuple[Any, ...]) -> bool:
    return (
        condition.keyword == keyword
        and _value_key(condition.value, condition.any_value) == value_key
    )
