"""Validated annotations flattened to what the rule builder needs, and nothing more.

A pack is validated with the pydantic spec, then turned into :class:`AnnotationRecord`
tuples, the only input of the rule builder (:mod:`~linea_core.annotations.rules`).
Keeping the spec models out of the builder keeps pydantic out of everything that runs
after validation, and gives one place where the spec's meaning is decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

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
    from linea_core.annotations.spec import Annotation, ModuleAnnotation, Reference


class AnnotationRecord(NamedTuple):
    """One annotation of one module entry, compiled.

    ``functions``/``methods`` are the names the criteria list (methods of
    ``class_instance``). ``keyword`` is set for a keyword condition; ``any_value`` is
    True when the pack left ``keyword_arg_value`` out (any value but ``None`` matches).
    """

    module: str
    functions: tuple[str, ...]
    methods: tuple[str, ...]
    class_instance: str | None
    keyword: str | None
    keyword_value: object
    any_value: bool
    effects: Effects


def compile_entries(entries: Iterable[ModuleAnnotation]) -> tuple[AnnotationRecord, ...]:
    """The records of validated module entries, in pack order (order is precedence)."""
    records: list[AnnotationRecord] = []
    for entry in entries:
        for annotation in entry.annotations:
            records.append(compile_annotation(entry.module, annotation))
    return tuple(records)


def compile_annotation(module: str, annotation: Annotation) -> AnnotationRecord:
    criteria = annotation.criteria
    return AnnotationRecord(
        module=module,
        functions=tuple(criteria.function_targets),
        methods=tuple(criteria.method_targets),
        class_instance=criteria.class_instance,
        keyword=criteria.keyword_arg_name,
        keyword_value=criteria.keyword_arg_value,
        any_value=criteria.any_keyword_value,
        effects=compile_side_effects(annotation),
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
            _sort_reference(side_effect.mutated_value, writes, mutated)
        elif side_effect.dependency is not None:
            _sort_reference(side_effect.dependency, reads, dependencies)
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


def _sort_reference(reference: Reference, external: set[str], values: list[Ref]) -> None:
    """External state goes to ``external`` (written or read), a value of the call to ``values``."""
    if reference.external_state is not None:
        external.add(reference.external_state)
    else:
        values.append(to_ref(reference))


def to_ref(reference: Reference) -> Ref:
    """A spec reference (not external state) as an engine :class:`Ref`."""
    if reference.self_ref is not None:
        return SELF_REF
    if reference.result is not None:
        return RESULT_REF
    if reference.positional_argument_index is not None:
        return Ref(POSITIONAL, position=reference.positional_argument_index)
    if reference.argument_keyword is not None:
        return Ref(KEYWORD, name=reference.argument_keyword)
    if reference.all_positional_arguments is not None:
        return ALL_POSITIONAL_REF
    raise ValueError(f"{reference!r} is external state, not a value")
