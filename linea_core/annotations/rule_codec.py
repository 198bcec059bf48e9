"""A :class:`~linea_core.annotations.rules.RuleSet` as built-in types, and back.

The on-disk cache stores this form so that its unpickler can refuse every class (an
entry is data, never code) and so that decoding is mostly table lookups: the packs use
a few dozen distinct rules (pure, mutates self, writes a file...) shared by thousands
of targets, so effects, conditions and rules are stored once, in tables, and targets
refer to them by position.

:func:`decode` trusts the shape of its input: the cache checks each entry's digest
before decoding it, so it only ever sees what :func:`encode` produced.
"""

from __future__ import annotations

from typing import Any

from linea_core.annotations.effects import Effects, Ref
from linea_core.annotations.rules import Condition, Rule, RuleSet

_NONE = -1  # effects position of a rule described only under keyword conditions


def encode(rules: RuleSet) -> dict[str, Any]:
    """``rules`` as dicts, lists, tuples, strings, numbers (and keyword values)."""
    effects_table: dict[Effects, int] = {}
    condition_table: list[tuple[Any, ...]] = []
    condition_positions: dict[int, int] = {}  # id(condition) -> position
    rule_table: dict[tuple[int, tuple[int, ...]], int] = {}

    def effects_ref(effects: Effects | None) -> int:
        if effects is None:
            return _NONE
        return effects_table.setdefault(effects, len(effects_table))

    def conditions_ref(conditions: tuple[Condition, ...]) -> tuple[int, ...]:
        positions = []
        for condition in conditions:
            position = condition_positions.get(id(condition))
            if position is None:
                position = condition_positions[id(condition)] = len(condition_table)
                condition_table.append(
                    (
                        condition.keyword,
                        condition.value,
                        condition.any_value,
                        effects_ref(condition.effects),
                    )
                )
            positions.append(position)
        return tuple(positions)

    def rule_ref(rule: Rule) -> int:
        effects, conditions = rule
        key = (effects_ref(effects), conditions_ref(conditions))
        return rule_table.setdefault(key, len(rule_table))

    functions = {
        module: [(name, rule_ref(rule)) for name, rule in table.items()]
        for module, table in rules.functions.items()
    }
    methods = {
        module: [(class_path, name, rule_ref(rule)) for (class_path, name), rule in table.items()]
        for module, table in rules.methods.items()
    }
    class_conditions = {
        module: [(class_path, conditions_ref(found)) for class_path, found in table.items()]
        for module, table in rules.class_conditions.items()
    }
    return {
        "effects": [_plain_effects(effects) for effects in effects_table],
        "conditions": condition_table,
        "rules": list(rule_table),
        "functions": functions,
        "methods": methods,
        "class_conditions": class_conditions,
    }


def decode(data: dict[str, Any]) -> RuleSet:
    """The rule set :func:`encode` turned into ``data``."""
    effects = [_effects(raw) for raw in data["effects"]]
    conditions = [
        Condition(keyword, value, any_value, effects[position])
        for keyword, value, any_value, position in data["conditions"]
    ]
    rules: list[Rule] = [
        (
            None if position == _NONE else effects[position],
            tuple(conditions[number] for number in numbers),
        )
        for position, numbers in data["rules"]
    ]
    return RuleSet(
        functions={
            module: {name: rules[number] for name, number in rows}
            for module, rows in data["functions"].items()
        },
        methods={
            module: {(class_path, name): rules[number] for class_path, name, number in rows}
            for module, rows in data["methods"].items()
        },
        class_conditions={
            module: {
                class_path: tuple(conditions[number] for number in numbers)
                for class_path, numbers in rows
            }
            for module, rows in data["class_conditions"].items()
        },
    )


def _plain_effects(effects: Effects) -> tuple[Any, ...]:
    return (
        tuple(tuple(ref) for ref in effects.mutated),
        tuple(tuple(tuple(ref) for ref in group) for group in effects.views),
        tuple(tuple(ref) for ref in effects.dependencies),
        tuple(sorted(effects.external_writes)),
        tuple(sorted(effects.external_reads)),
    )


def _effects(raw: Any) -> Effects:
    mutated, views, dependencies, writes, reads = raw
    return Effects(
        mutated=tuple(Ref(*ref) for ref in mutated),
        views=tuple(tuple(Ref(*ref) for ref in group) for group in views),
        dependencies=tuple(Ref(*ref) for ref in dependencies),
        external_writes=frozenset(writes),
        external_reads=frozenset(reads),
    )
