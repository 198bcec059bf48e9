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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linea_core.annotations.effects import (
    ALL_POSITIONAL_REF,
    KEYWORD,
    POSITIONAL,
    RESULT_REF,
    SELF_REF,
    Effects,
    Ref,
)

if TYPE_CHECKING:
    from linea_core.annotations.loader import LoadedPack
    from linea_core.annotations.spec import Annotation, Reference


@dataclass(frozen=True)
class Condition:
    """Extra effects when keyword ``keyword`` is passed with ``value``.

    ``any_value``: the pack left ``keyword_arg_value`` out, so any value other than
    ``None`` matches (numpy's ``out=``).
    """

    keyword: str
    value: Any
    any_value: bool
    effects: Effects

    def accepts(self, value: object) -> bool:
        if self.any_value:
            return value is not None
        return same_value(value, self.value)


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


@dataclass
class TargetRule:
    """What the packs say about one function or method (either part may be empty)."""

    effects: Effects | None = None  # None: described only under keyword conditions
    conditions: list[Condition] = field(default_factory=list)

    def merge_effects(self, effects: Effects) -> None:
        self.effects = effects if self.effects is None else self.effects.merged(effects)


@dataclass
class RuleSet:
    """All rules of a list of packs, grouped by the module they are looked up in."""

    # module -> function name -> rule
    functions: dict[str, dict[str, TargetRule]] = field(default_factory=dict)
    # module -> (class path, method name) -> rule
    methods: dict[str, dict[tuple[str, str], TargetRule]] = field(default_factory=dict)
    # module -> class path -> conditions on every method of the class
    class_conditions: dict[str, dict[str, list[Condition]]] = field(default_factory=dict)

    def modules(self) -> list[str]:
        """Every module some rule is looked up in, in first-seen order."""
        names: dict[str, None] = {}
        for table in (self.functions, self.methods, self.class_conditions):
            names.update(dict.fromkeys(table))
        return list(names)


def compile_packs(packs: Iterable[LoadedPack]) -> RuleSet:
    """Build the rule set; see the module docstring for precedence."""
    builder = _Builder()
    for number, pack in enumerate(packs):
        for entry in pack.entries:
            for annotation in entry.annotations:
                builder.add(number, entry.module, annotation)
    return builder.rules


class _Builder:
    def __init__(self) -> None:
        self.rules = RuleSet()
        # target key -> number of the pack that owns it
        self._owner: dict[tuple[Any, ...], int] = {}

    def _claim(self, key: tuple[Any, ...], pack: int) -> bool:
        """True when ``pack`` starts owning ``key`` (its earlier content must be dropped)."""
        previous = self._owner.get(key)
        self._owner[key] = pack
        return previous is not None and previous != pack

    def add(self, pack: int, module: str, annotation: Annotation) -> None:
        criteria = annotation.criteria
        effects = compile_side_effects(annotation)
        keyword = criteria.keyword_arg_name
        condition = None
        if keyword is not None:
            condition = Condition(
                keyword=keyword,
                value=criteria.keyword_arg_value,
                any_value=criteria.any_keyword_value,
                effects=effects,
            )
        value_key = _value_key(criteria.keyword_arg_value, criteria.any_keyword_value)
        functions = self.rules.functions.setdefault(module, {})
        for name in criteria.function_targets:
            rule = functions.setdefault(name, TargetRule())
            self._add_to(rule, ("f", module, name), pack, effects, condition, keyword, value_key)
        methods = self.rules.methods.setdefault(module, {})
        for name in criteria.method_targets:
            assert criteria.class_instance is not None  # enforced by the spec
            rule = methods.setdefault((criteria.class_instance, name), TargetRule())
            key = ("m", module, criteria.class_instance, name)
            self._add_to(rule, key, pack, effects, condition, keyword, value_key)
        if condition is not None and not criteria.function_targets and not criteria.method_targets:
            assert criteria.class_instance is not None  # enforced by the spec
            per_class = self.rules.class_conditions.setdefault(module, {})
            conditions = per_class.setdefault(criteria.class_instance, [])
            key = ("c", module, criteria.class_instance, keyword, value_key)
            if self._claim(key, pack):
                conditions[:] = [
                    c for c in conditions if not _same_condition(c, keyword, value_key)
                ]
            conditions.append(condition)

    def _add_to(
        self,
        rule: TargetRule,
        key: tuple[Any, ...],
        pack: int,
        effects: Effects,
        condition: Condition | None,
        keyword: str | None,
        value_key: tuple[Any, ...],
    ) -> None:
        if condition is None:
            if self._claim(key, pack):
                rule.effects = None
            rule.merge_effects(effects)
            return
        if self._claim((*key, keyword, value_key), pack):
            rule.conditions[:] = [
                c for c in rule.conditions if not _same_condition(c, keyword, value_key)
            ]
        rule.conditions.append(condition)


def _value_key(value: Any, any_value: bool) -> tuple[Any, ...]:
    if any_value:
        return ("any",)
    return ("value", type(value).__name__, repr(value))


def _same_condition(condition: Condition, keyword: str | None, value_key: tuple[Any, ...]) -> bool:
    return (
        condition.keyword == keyword
        and _value_key(condition.value, condition.any_value) == value_key
    )


def compile_side_effects(annotation: Annotation) -> Effects:
    """The spec's side effects as engine-facing :class:`Effects` (``[]``: pure)."""
    mutated: list[Ref] = []
    views: list[tuple[Ref, ...]] = []
    dependencies: list[Ref] = []
    writes: set[str] = set()
    reads: set[str] = set()
    for side_effect in annotation.side_effects:
        if side_effect.mutated_value is not None:
            reference = side_effect.mutated_value
            if reference.external_state is not None:
                writes.add(reference.external_state)
            else:
                mutated.append(to_ref(reference))
        elif side_effect.dependency is not None:
            reference = side_effect.dependency
            if reference.external_state is not None:
                reads.add(reference.external_state)
            else:
                dependencies.append(to_ref(reference))
        elif side_effect.views is not None:
            group = tuple(
                dict.fromkeys(
                    to_ref(ref) for ref in side_effect.views if ref.external_state is None
                )
            )
            if len(group) >= 2 or (len(group) == 1 and group[0] == ALL_POSITIONAL_REF):
                views.append(group)
    return Effects(
        mutated=tuple(dict.fromkeys(mutated)),
        views=tuple(dict.fromkeys(views)),
        dependencies=tuple(dict.fromkeys(dependencies)),
        external_writes=frozenset(writes),
        external_reads=frozenset(reads),
    )


def to_ref(reference: Reference) -> Ref:
    """A spec reference (not external state) as an engine :class:`Ref`."""
    if reference.self_ref is not None:
        return SELF_REF
    if reference.result is not None:
        return RESULT_REF
    if reference.positional_argument_index is not None:
        return Ref(POSITIONAL, index=reference.positional_argument_index)
    if reference.argument_keyword is not None:
        return Ref(KEYWORD, name=reference.argument_keyword)
    if reference.all_positional_arguments is not None:
        return ALL_POSITIONAL_REF
    raise ValueError(f"{reference!r} is external state, not a value")
