"""The lookup the capture engine asks, for every call, "what does this do?".

:meth:`AnnotationIndex.effects_for` takes the runtime callable about to be called and
its arguments and answers with a :class:`~linea_core.annotations.effects.CallEffects`
when a pack describes the call, or ``None`` when none does (the engine then falls back
to fingerprinting the objects the call touched). An annotation whose ``side_effects``
is ``[]`` is a *pure* declaration (Linea's extension of upstream's format): the answer
is a ``CallEffects`` with nothing in it, and the engine may skip fingerprinting.

How a callable is matched
-------------------------
* **By identity.** ``function_name(s)`` are looked up in their module's ``__dict__``
  once the module is imported; the call matches when the callable *is* that object
  (so ``pd.read_csv`` matches ``module: pandas, function_name: read_csv`` wherever the
  function is defined, and ``random.shuffle``, a method bound to ``random``'s hidden
  ``Random`` instance, matches ``module: random``). ``self_ref`` is then the module.
* **By receiver class and method name.** For a bound method (Python or builtin,
  ``df.dropna``, ``[].append``), a classmethod, or a callable instance (a numpy ufunc:
  name ``__call__``), the receiver's class is matched against ``class_instance`` with
  ``issubclass``, so an annotation on ``NDFrame.to_csv`` covers ``DataFrame``. A method
  that a class *outside* the annotated library overrides (a user subclass of ``dict``
  redefining ``get``) does not match: the override's behaviour is unknown.
* **Unbound.** ``Class.method(obj, ...)`` matches the method's annotation with ``obj``
  as receiver.

Keyword criteria add effects when the keyword is passed (also positionally, found
through the callable's signature) with the given value. Any positional or keyword
argument that is an iterator is reported as mutated: a described call that receives an
iterator consumes it or keeps it (``list(it)``, ``zip(it)``), which no pack can state
per argument.

Cost: the rules come compiled from an on-disk cache when the packs did not change
(:mod:`~linea_core.annotations.pack_cache`). The first lookup of each (receiver class,
method name) or function computes a plan; every later one is a dict hit. Packs for libraries that are not imported stay
pending and are resolved when ``sys.modules`` shows the module (checked by its length,
an O(1) test per call); the index never imports anything.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import BuiltinMethodType, FunctionType, MethodType, MethodWrapperType, ModuleType
from typing import TYPE_CHECKING, Any

from linea_core.annotations.effects import KEYWORD, POSITIONAL, CallEffects, Effects, Ref
from linea_core.annotations.resolution import (
    class_attribute,
    defining_class,
    imported_module,
    module_attribute,
    safe_issubclass,
    takes_receiver,
    top_package,
)
from linea_core.errors import LineaWarning
from linea_core.support.type_names import module_of_type

if TYPE_CHECKING:
    from linea_core.annotations.loader import AnnotationPackError, LoadedPack
    from linea_core.annotations.rules import Condition, RuleSet
    from linea_core.plugins.contracts import AnnotationPack

_MISSING = object()
_DEFAULT_CACHE = object()  # from_packs: the current context's cache folder

# How a plan finds the receiver (what ``self_ref`` means).
_MODULE = "module"  # a module-level function: the annotated module
_BOUND = "bound"  # a bound method or a callable instance: its ``__self__`` / itself
_UNBOUND = "unbound"  # ``Class.method(obj, ...)``: the first argument


class AnnotationPackWarning(LineaWarning):
    """An annotation pack was left out; the message names the file, entry and reason."""


class _Plan:
    """What the packs say about one callable (or one receiver class + method name)."""

    __slots__ = (
        "mode",
        "effects",
        "conditions",
        "module",
        "cls",
        "per_callable",
        "_positions",
        "_merged",
    )

    def __init__(
        self,
        mode: str,
        effects: Effects | None,
        conditions: tuple[Condition, ...] = (),
        module: ModuleType | None = None,
        cls: type | None = None,
        per_callable: bool = False,
    ) -> None:
        self.mode = mode
        self.effects = effects
        self.conditions = conditions
        self.module = module
        self.cls = cls
        # Callable instances of one class (numpy ufuncs) share a plan but not a signature.
        self.per_callable = per_callable
        self._positions: Any = {} if per_callable else _MISSING
        self._merged: dict[tuple[int, ...], Effects | None] = {}

    def positions(self, func: object) -> Mapping[str, int] | None:
        """Parameter name -> position among the arguments after the receiver."""
        if self.per_callable:
            try:
                known: Mapping[str, int] | None = self._positions[func]
                return known
            except KeyError:
                positions = self._positions[func] = _parameter_positions(func, skip_first=False)
                return positions
            except TypeError:  # unhashable callable
                return _parameter_positions(func, skip_first=False)
        if self._positions is _MISSING:
            self._positions = _parameter_positions(func, skip_first=self.mode == _UNBOUND)
        fixed: Mapping[str, int] | None = self._positions
        return fixed

    def effects_with(self, matched: tuple[int, ...]) -> Effects | None:
        try:
            return self._merged[matched]
        except KeyError:
            pass
        effects = self.effects
        for number in matched:
            extra = self.conditions[number].effects
            effects = extra if effects is None else effects.merged(extra)
        self._merged[matched] = effects
        return effects


class _MethodRule:
    __slots__ = ("cls", "packages", "effects", "conditions")

    def __init__(
        self,
        cls: type,
        packages: frozenset[str],
        effects: Effects | None,
        conditions: tuple[Condition, ...],
    ) -> None:
        self.cls = cls
        self.packages = packages  # see trusted_packages()
        self.effects = effects
        self.conditions = conditions

    def trusts(self, owner: type) -> bool:
        """Whether the implementation found on ``owner`` is the one the pack describes."""
        return owner in self.cls.__mro__ or top_package(module_of_type(owner)) in self.packages


def trusted_packages(module: str, cls: type) -> frozenset[str]:
    """The packages whose overrides of an annotated method keep its description: the
    annotated module's and the class's own."""
    return frozenset((top_package(module), top_package(module_of_type(cls))))


class AnnotationIndex:
    """Per-session lookup from runtime callables to their annotated side effects.

    Build it with :meth:`from_packs` (or :meth:`from_loaded`); ``errors`` lists the
    packs that were left out and why.
    """

    def __init__(self, rules: RuleSet, errors: Iterable[AnnotationPackError] = ()) -> None:
        self.errors: list[AnnotationPackError] = list(errors)
        self._rules = rules
        self._pending: list[str] = rules.modules()
        self._module_count = -1
        # identity-matched callables -> plan
        self._objects: dict[object, _Plan] = {}
        # (receiver class, method name) -> plan or None
        self._types: dict[tuple[type, str], _Plan | None] = {}
        self._methods_by_name: dict[str, list[_MethodRule]] = {}
        self._class_conditions: list[tuple[_MethodRule, Condition]] = []
        self._iterator_types: dict[type, bool] = {}
        self._unresolved: list[str] = []
        self.plans_computed = 0  # cache misses, for tests and diagnostics
        # from_packs: "hit", "rebuilt" or "disabled" (see pack_cache.RuleCache)
        self.cache_outcome: str | None = None

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_packs(
        cls,
        packs: Iterable[AnnotationPack],
        user_folder: Path | None = None,
        *,
        cache_dir: Path | None | object = _DEFAULT_CACHE,
    ) -> AnnotationIndex:
        """Load registered packs, then the user's packs in ``user_folder`` (which win).

        A malformed pack is reported as an :class:`AnnotationPackWarning` (file, entry,
        reason) and left out; it never stops tracing. The compiled rules are cached in
        ``cache_dir`` (default: ``<home_dir>/cache/annotations``; None: no cache), keyed
        by the packs' content, so a session whose packs did not change parses no YAML
        and validates nothing; ``cache_outcome`` says whether the cache was used.
        """
        from linea_core.annotations.pack_cache import RuleCache, default_cache_dir, read_sources

        directory = default_cache_dir() if cache_dir is _DEFAULT_CACHE else cache_dir
        cache = RuleCache(directory)  # type: ignore[arg-type]
        rules, errors = cache.load(read_sources(packs, user_folder))
        for error in errors:
            warnings.warn(f"{error} The pack is left out.", AnnotationPackWarning, stacklevel=2)
        index = cls(rules, errors)
        index.cache_outcome = cache.outcome
        return index

    @classmethod
    def from_loaded(
        cls, packs: Iterable[LoadedPack], errors: Iterable[AnnotationPackError] = ()
    ) -> AnnotationIndex:
        """An index of packs already read and validated (:func:`~.loader.load_pack`)."""
        from linea_core.annotations.rules import compile_packs

        return cls(compile_packs(packs), errors)

    # -- the hot path -------------------------------------------------------------------

    def effects_for(
        self, func: object, args: tuple[object, ...], kwargs: Mapping[str, object]
    ) -> CallEffects | None:
        """The side effects of calling ``func(*args, **kwargs)``, or None if undescribed."""
        if len(sys.modules) != self._module_count:
            self._refresh()
        try:
            plan = self._objects.get(func)
        except TypeError:  # an unhashable callable object
            plan = None
        if plan is not None:
            receiver: object = func
        else:
            kind = type(func)
            if kind is BuiltinMethodType or kind is MethodType or kind is MethodWrapperType:
                receiver = func.__self__  # type: ignore[attr-defined]
                if receiver is None or type(receiver) is ModuleType:
                    return None
                name = func.__name__  # type: ignore[attr-defined]
                owner_class = receiver if isinstance(receiver, type) else type(receiver)
            elif kind is FunctionType or isinstance(func, type):
                return None
            else:  # a callable instance, e.g. a numpy ufunc
                receiver, name, owner_class = func, "__call__", kind
            key = (owner_class, name)
            plan = self._types.get(key, _MISSING)  # type: ignore[arg-type]
            if plan is _MISSING:
                plan = self._types[key] = self._plan_for_method(owner_class, name)
            if plan is None:
                return None
        offset = 0
        mode = plan.mode
        if mode is _MODULE:
            receiver = plan.module
        elif mode is _UNBOUND:
            if not args or not isinstance(args[0], plan.cls):  # type: ignore[arg-type]
                return None
            receiver, offset = args[0], 1
        effects = plan.effects
        if plan.conditions:
            matched: list[int] | None = None
            positional = len(args) > offset
            for number, condition in enumerate(plan.conditions):
                if (condition.keyword in kwargs or positional) and _condition_holds(
                    condition, plan, func, args, kwargs, offset
                ):
                    if matched is None:
                        matched = []
                    matched.append(number)
            if matched:
                effects = plan.effects_with(tuple(matched))
            if effects is None:
                return None
        # Iterator arguments are consumed (or kept) by the call: report them mutated.
        known = self._iterator_types
        consumed: list[Ref] | None = None
        for position in range(offset, len(args)):
            value_type = type(args[position])
            is_iterator = known.get(value_type)
            if is_iterator is None:
                is_iterator = known[value_type] = _is_iterator_type(value_type)
            if is_iterator:
                consumed = consumed or []
                consumed.append(Ref(POSITIONAL, position=position - offset))
        if kwargs:
            for name, value in kwargs.items():
                value_type = type(value)
                is_iterator = known.get(value_type)
                if is_iterator is None:
                    is_iterator = known[value_type] = _is_iterator_type(value_type)
                if is_iterator:
                    consumed = consumed or []
                    consumed.append(Ref(KEYWORD, name=name))
        if consumed:
            effects = effects.with_mutated(consumed)  # type: ignore[union-attr]
        return CallEffects(effects, receiver, offset, plan, func)  # type: ignore[arg-type]

    def effects_whatever_the_arguments(self, func: object) -> CallEffects | None:
        """What calling ``func`` does when its arguments cannot be seen (a built-in called
        by the user's code under a profiler hook), or None when the packs do not describe
        it or some described effect depends on the arguments (keyword criteria)."""
        call = self.effects_for(func, (), {})
        if call is None:
            return None
        plan = call._parameters  # noqa: SLF001 - the plan this index made for the call
        if isinstance(plan, _Plan) and plan.conditions:
            return None
        return call

    # -- plans --------------------------------------------------------------------------

    def _plan_for_method(self, owner_class: type, name: str) -> _Plan | None:
        self.plans_computed += 1
        owner = defining_class(owner_class, name)
        if owner is None:
            return None
        effects: Effects | None = None
        conditions: list[Condition] = []
        for rule in self._methods_by_name.get(name, ()):
            if safe_issubclass(owner_class, rule.cls) and rule.trusts(owner):
                if rule.effects is not None:
                    effects = rule.effects if effects is None else effects.merged(rule.effects)
                conditions.extend(rule.conditions)
        for rule, condition in self._class_conditions:
            if safe_issubclass(owner_class, rule.cls) and rule.trusts(owner):
                conditions.append(condition)
        if effects is None and not conditions:
            return None
        return _Plan(_BOUND, effects, tuple(conditions), per_callable=name == "__call__")

    def _refresh(self) -> None:
        self._module_count = len(sys.modules)
        resolved_any = False
        still_pending: list[str] = []
        for name in self._pending:
            module = imported_module(name)
            if module is None:
                still_pending.append(name)
            else:
                self._resolve_module(name, module)
                resolved_any = True
        if resolved_any:
            self._pending = still_pending
            self._types.clear()  # cached "no plan" answers may have changed

    def _resolve_module(self, name: str, module: ModuleType) -> None:
        """Turn the module's rules into identity entries and per-name method rules.

        Runs once per annotated module, when it is first seen imported, for every
        module the program has imported: keep it lean (one class lookup and one MRO
        walk per method, no per-method allocation beyond the rule itself).
        """
        rules = self._rules
        unresolved = self._unresolved
        for function_name, (effects, conditions) in rules.functions.get(name, {}).items():
            target = module_attribute(module, function_name)
            if target is None:
                unresolved.append(f"{name}.{function_name}: not found")
                continue
            self._add_object(target, _MODULE, effects, conditions, module=module)
        classes: dict[str, tuple[type, frozenset[str]] | None] = {}
        by_name = self._methods_by_name
        for (class_path, method_name), (effects, conditions) in rules.methods.get(name, {}).items():
            if class_path in classes:
                found = classes[class_path]
            else:
                looked_up = self._class(name, module, class_path)
                found = classes[class_path] = (
                    None if looked_up is None else (looked_up, trusted_packages(name, looked_up))
                )
            if found is None:
                continue
            cls, packages = found
            owner, raw = class_attribute(cls, method_name)
            if owner is None:
                # Still a valid rule: subclasses that define the method match (upstream's
                # sklearn pack annotates BaseEstimator.fit, which only subclasses have).
                unresolved.append(
                    f"{name}.{class_path}.{method_name}: not defined on the class itself"
                )
            method_rule = _MethodRule(cls, packages, effects, conditions)
            rules_of_name = by_name.get(method_name)
            if rules_of_name is None:
                by_name[method_name] = [method_rule]
            else:
                rules_of_name.append(method_rule)
            if owner is not None and takes_receiver(raw):
                self._add_object(raw, _UNBOUND, effects, conditions, cls=cls)
        for class_path, class_conditions in rules.class_conditions.get(name, {}).items():
            conditioned = self._class(name, module, class_path)
            if conditioned is None:
                continue
            holder = _MethodRule(conditioned, trusted_packages(name, conditioned), None, ())
            self._class_conditions.extend((holder, condition) for condition in class_conditions)

    def _class(self, module_name: str, module: ModuleType, class_path: str) -> type | None:
        cls = module_attribute(module, class_path)
        if not isinstance(cls, type):
            problem = "not found" if cls is None else "not a class"
            self._unresolved.append(f"{module_name}.{class_path}: {problem}")
            return None
        return cls

    def _add_object(
        self,
        target: object,
        mode: str,
        effects: Effects | None,
        conditions: tuple[Condition, ...],
        *,
        module: ModuleType | None = None,
        cls: type | None = None,
    ) -> None:
        try:
            existing = self._objects.get(target)
        except TypeError:
            return  # unhashable: cannot be matched by identity
        if existing is not None:
            if existing.mode is _MODULE and mode is not _MODULE:
                return  # an explicit module-level description wins over the unbound method
            if existing.mode == mode:
                merged = existing.effects
                if effects is not None:
                    merged = effects if merged is None else merged.merged(effects)
                self._objects[target] = _Plan(
                    mode,
                    merged,
                    existing.conditions + conditions,
                    module=existing.module,
                    cls=existing.cls,
                )
                return
        self._objects[target] = _Plan(mode, effects, conditions, module, cls)

    # -- diagnostics --------------------------------------------------------------------

    def unresolved(self) -> list[str]:
        """Annotated names missing from their (imported) module, e.g. after a library
        renamed them, and methods the annotated class itself does not define (still
        matched on subclasses that do). Modules not imported yet are not checked."""
        if len(sys.modules) != self._module_count:
            self._refresh()
        return list(self._unresolved)

    def pending_modules(self) -> list[str]:
        """Annotated modules that are not imported (yet), so cost nothing."""
        if len(sys.modules) != self._module_count:
            self._refresh()
        return list(self._pending)


def _condition_holds(
    condition: Condition,
    plan: _Plan,
    func: object,
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
    offset: int,
) -> bool:
    keyword = condition.keyword
    if keyword in kwargs:
        return condition.accepts(kwargs[keyword])
    if len(args) <= offset:
        return False
    positions = plan.positions(func)
    position = positions.get(keyword) if positions else None
    if position is None or position + offset >= len(args):
        return False
    return condition.accepts(args[position + offset])


def _is_iterator_type(kind: type) -> bool:
    return hasattr(kind, "__next__") and hasattr(kind, "__iter__")


def _parameter_positions(func: object, *, skip_first: bool) -> Mapping[str, int] | None:
    """Which parameters can be passed positionally, and where (None: unknown)."""
    import inspect

    try:
        signature = inspect.signature(func)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        # numpy < 2.3 ufuncs have no signature; their outputs follow the inputs.
        nin = getattr(func, "nin", None)
        if type(func).__name__ == "ufunc" and isinstance(nin, int):
            return {"out": nin}
        return None
    positions: dict[str, int] = {}
    parameters = list(signature.parameters.values())
    if skip_first and parameters:
        parameters = parameters[1:]
    for position, parameter in enumerate(parameters):
        if parameter.kind not in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            break
        positions[parameter.name] = position
    return positions
