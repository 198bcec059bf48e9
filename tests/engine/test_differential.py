"""Differential property: tracing never changes what a program computes, and every slice is sound.

Hypothesis writes small programs (as source text) over ints, lists of ints, dicts of
ints and lists of lists, with if/else, bounded for/while loops with break/continue,
try/except/else/finally around statements that raise on some runs,
functions that return values, mutate their arguments, rebind globals via ``global`` or
append to a global list, aliasing (``b = a``, a list stored inside another), subscript
and augmented assignment, and list/dict methods. For each program:

1. the traced run's final variables equal plain ``exec``'s;
2. every variable, saved as an artifact at the end, has a slice that recomputes its
   value when run alone in a fresh namespace.

Programs are generated type-correct (every name is bound before use with a fixed kind,
every index and pop is guarded), so a failure is a linea bug, never a broken program.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.engine

KINDS = ("int", "list", "dict", "nest")
KEYS = ('"a"', '"b"', '"c"')
MAX_DEPTH = 2


@dataclass
class Scope:
    """What the program being generated has bound so far, by kind."""

    names: dict[str, str] = field(default_factory=dict)
    functions: list[tuple[str, list[str]]] = field(default_factory=list)  # name, arg kinds
    counter: int = 0

    def of(self, kind: str) -> list[str]:
        return sorted(n for n, k in self.names.items() if k == kind)

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


class ProgramWriter:
    """Draws one program, statement by statement, keeping every name's kind fixed."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.scope = Scope()

    # --- expressions ---------------------------------------------------------------

    def int_expr(self, depth: int = 0, local: tuple[str, ...] = ()) -> str:
        options = ["literal"]
        ints = self.scope.of("int") + list(local)
        if ints:
            options += ["name", "name"]
        if self.scope.of("list"):
            options += ["len", "sum", "index", "max"]
        if self.scope.of("dict"):
            options += ["get", "dlen"]
        if self.scope.of("nest"):
            options += ["nestlen"]
        if depth < MAX_DEPTH:
            options += ["binop", "binop", "mod"]
        choice = self.draw(st.sampled_from(options))
        if choice == "literal":
            return str(self.draw(st.integers(-3, 9)))
        if choice == "name":
            return self.draw(st.sampled_from(ints))
        if choice in ("len", "sum", "max", "index"):
            lst = self.draw(st.sampled_from(self.scope.of("list")))
            if choice == "len":
                return f"len({lst})"
            if choice == "sum":
                return f"sum({lst})"
            if choice == "max":
                return f"max({lst}, default=0)"
            i = self.int_expr(depth + 1, local)
            return f"({lst}[({i}) % len({lst})] if {lst} else 0)"
        if choice == "get":
            d = self.draw(st.sampled_from(self.scope.of("dict")))
            return f"{d}.get({self.draw(st.sampled_from(KEYS))}, 0)"
        if choice == "dlen":
            return f"len({self.draw(st.sampled_from(self.scope.of('dict')))})"
        if choice == "nestlen":
            n = self.draw(st.sampled_from(self.scope.of("nest")))
            return f"sum(len(x) for x in {n})"
        if choice == "mod":
            return f"({self.int_expr(depth + 1, local)}) % {self.draw(st.integers(2, 7))}"
        op = self.draw(st.sampled_from(["+", "-", "*"]))
        left = self.int_expr(depth + 1, local)
        right = str(self.draw(st.integers(-2, 3))) if op == "*" else self.int_expr(depth + 1, local)
        return f"({left} {op} {right})"

    def condition(self, local: tuple[str, ...] = ()) -> str:
        options = ["compare", "compare"]
        if self.scope.of("list"):
            options += ["contains", "truthy"]
        if self.scope.of("dict"):
            options += ["haskey"]
        choice = self.draw(st.sampled_from(options))
        if choice == "contains":
            lst = self.draw(st.sampled_from(self.scope.of("list")))
            return f"{self.int_expr(1, local)} in {lst}"
        if choice == "truthy":
            return self.draw(st.sampled_from(self.scope.of("list")))
        if choice == "haskey":
            d = self.draw(st.sampled_from(self.scope.of("dict")))
            return f"{self.draw(st.sampled_from(KEYS))} in {d}"
        op = self.draw(st.sampled_from(["<", ">", "==", "!=", "<=", ">="]))
        return f"{self.int_expr(1, local)} {op} {self.int_expr(1, local)}"

    def list_literal(self, local: tuple[str, ...] = ()) -> str:
        size = self.draw(st.integers(0, 3))
        return "[" + ", ".join(self.int_expr(1, local) for _ in range(size)) + "]"

    def dict_literal(self, local: tuple[str, ...] = ()) -> str:
        keys = self.draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True))
        return "{" + ", ".join(f"{k}: {self.int_expr(1, local)}" for k in keys) + "}"

    # --- statements ----------------------------------------------------------------

    def statement(self, depth: int, in_loop: bool, local: tuple[str, ...] = ()) -> list[str]:
        """One statement (as lines). Only top level (depth 0) introduces new names."""
        options = ["int_assign", "int_aug"]
        if depth == 0:
            options += ["new_int", "new_list", "new_dict", "new_list", "new_dict"]
            if self.scope.of("list"):
                options += ["new_alias", "new_alias", "new_copy", "new_nest"]
            if len(self.scope.functions) < 3 and self.scope.names:
                options += ["def", "def", "def"]
        if self.scope.of("list"):
            options += ["list_op", "list_op", "list_op", "list_setitem"]
        if self.scope.of("dict"):
            options += ["dict_op", "dict_op", "dict_setitem"]
        if self.scope.of("nest"):
            options += ["nest_op"]
        if self.scope.functions:
            options += ["call", "call", "call"]
        if depth < MAX_DEPTH:
            options += ["if", "for", "while", "try"]
        if in_loop:
            options += ["jump"]
        choice = self.draw(st.sampled_from(options))
        return getattr(self, f"_{choice}")(depth, in_loop, local)

    def block(self, depth: int, in_loop: bool, local: tuple[str, ...] = ()) -> list[str]:
        count = self.draw(st.integers(1, 3))
        lines: list[str] = []
        for _ in range(count):
            lines += self.statement(depth, in_loop, local)
        return ["    " + line for line in lines]

    def _target_int(self) -> str | None:
        ints = self.scope.of("int")
        return self.draw(st.sampled_from(ints)) if ints else None

    def _new_int(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        expr = self.int_expr(0, local)
        name = self.scope.fresh("i")
        self.scope.names[name] = "int"
        return [f"{name} = {expr}"]

    def _new_list(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        expr = self.list_literal(local)
        name = self.scope.fresh("l")
        self.scope.names[name] = "list"
        return [f"{name} = {expr}"]

    def _new_dict(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        expr = self.dict_literal(local)
        name = self.scope.fresh("d")
        self.scope.names[name] = "dict"
        return [f"{name} = {expr}"]

    def _new_alias(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        kind = self.draw(st.sampled_from([k for k in ("list", "dict") if self.scope.of(k)]))
        source = self.draw(st.sampled_from(self.scope.of(kind)))
        name = self.scope.fresh(kind[0])
        self.scope.names[name] = kind
        return [f"{name} = {source}"]

    def _new_copy(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        source = self.draw(st.sampled_from(self.scope.of("list")))
        name = self.scope.fresh("l")
        self.scope.names[name] = "list"
        form = self.draw(st.sampled_from(["list({})", "{}[:]", "sorted({})"]))
        return [f"{name} = {form.format(source)}"]

    def _new_nest(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        members = self.draw(
            st.lists(st.sampled_from(self.scope.of("list")), min_size=1, max_size=2)
        )
        name = self.scope.fresh("n")
        self.scope.names[name] = "nest"
        return [f"{name} = [{', '.join(members)}]"]

    def _int_assign(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        target = self._target_int()
        if target is None:
            return self._new_int(depth, in_loop, local) if depth == 0 else ["pass"]
        return [f"{target} = {self.int_expr(0, local)}"]

    def _int_aug(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        target = self._target_int()
        if target is None:
            return ["pass"]
        op = self.draw(st.sampled_from(["+=", "-=", "*=", "%="]))
        if op == "*=":
            return [f"{target} *= {self.draw(st.integers(-2, 2))}"]
        if op == "%=":
            return [f"{target} %= {self.draw(st.integers(2, 9))}"]
        return [f"{target} {op} {self.int_expr(1, local)}"]

    def _list_op(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        lst = self.draw(st.sampled_from(self.scope.of("list")))
        choice = self.draw(
            st.sampled_from(
                ["append", "extend", "insert", "pop", "sort", "reverse", "iadd", "del", "remove"]
            )
        )
        if choice == "append":
            return [f"{lst}.append({self.int_expr(1, local)})"]
        if choice == "extend":
            return [f"{lst}.extend({self.list_literal(local)})"]
        if choice == "insert":
            return [f"{lst}.insert(0, {self.int_expr(1, local)})"]
        if choice == "pop":
            return [f"if {lst}:", f"    {lst}.pop()"]
        if choice == "sort":
            return [f"{lst}.sort(reverse={self.draw(st.booleans())})"]
        if choice == "reverse":
            return [f"{lst}.reverse()"]
        if choice == "iadd":
            return [f"{lst} += {self.list_literal(local)}"]
        if choice == "del":
            return [f"if {lst}:", f"    del {lst}[0]"]
        value = self.int_expr(1, local)
        return [f"if {value} in {lst}:", f"    {lst}.remove({value})"]

    def _list_setitem(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        lst = self.draw(st.sampled_from(self.scope.of("list")))
        index, value = self.int_expr(1, local), self.int_expr(1, local)
        return [f"if {lst}:", f"    {lst}[({index}) % len({lst})] = {value}"]

    def _dict_op(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        d = self.draw(st.sampled_from(self.scope.of("dict")))
        key = self.draw(st.sampled_from(KEYS))
        choice = self.draw(st.sampled_from(["update", "update_from", "setdefault", "pop", "del"]))
        if choice == "update":
            return [f"{d}.update({self.dict_literal(local)})"]
        if choice == "update_from":
            other = self.draw(st.sampled_from(self.scope.of("dict")))
            return [f"{d}.update({other})"]
        if choice == "setdefault":
            return [f"{d}.setdefault({key}, {self.int_expr(1, local)})"]
        if choice == "pop":
            return [f"{d}.pop({key}, None)"]
        return [f"if {key} in {d}:", f"    del {d}[{key}]"]

    def _dict_setitem(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        d = self.draw(st.sampled_from(self.scope.of("dict")))
        key = self.draw(st.sampled_from(KEYS))
        if self.draw(st.booleans()):
            return [f"{d}[{key}] = {d}.get({key}, 0) + {self.int_expr(1, local)}"]
        return [f"{d}[{key}] = {self.int_expr(1, local)}"]

    def _nest_op(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        n = self.draw(st.sampled_from(self.scope.of("nest")))
        if self.draw(st.booleans()) and self.scope.of("list"):
            return [f"{n}.append({self.draw(st.sampled_from(self.scope.of('list')))})"]
        return [f"if {n}:", f"    {n}[-1].append({self.int_expr(1, local)})"]

    def _if(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        lines = [f"if {self.condition(local)}:", *self.block(depth + 1, in_loop, local)]
        if self.draw(st.booleans()):
            lines += ["else:", *self.block(depth + 1, in_loop, local)]
        return lines

    def _for(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        var = f"t{depth}"
        if self.scope.of("list") and self.draw(st.booleans()):
            source = self.draw(st.sampled_from(self.scope.of("list")))
            header = f"for {var} in list({source}):"
        else:
            header = f"for {var} in range({self.draw(st.integers(0, 4))}):"
        lines = [header, *self.block(depth + 1, True, (*local, var))]
        if self.draw(st.integers(0, 3)) == 0:
            lines += ["else:", *self.block(depth + 1, in_loop, local)]
        return lines

    def _while(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        counter = f"w{depth}"
        bound = self.draw(st.integers(0, 4))
        body = self.block(depth + 1, True, (*local, counter))
        return [f"{counter} = 0", f"while {counter} < {bound}:", f"    {counter} += 1", *body]

    def _try(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        """try/except/else/finally around a statement that raises on some runs."""
        probes = []
        if self.scope.of("dict"):
            d = self.draw(st.sampled_from(self.scope.of("dict")))
            probes.append(f"{d}[{self.draw(st.sampled_from(KEYS))}]")
        if self.scope.of("list"):
            lst = self.draw(st.sampled_from(self.scope.of("list")))
            probes.append(f"{lst}[{self.int_expr(1, local)}]")
        probe = self.draw(st.sampled_from(probes)) if probes else "[][0]"
        target = self._target_int()
        risky = f"{target} = {probe}" if target and self.draw(st.booleans()) else probe
        statements = [
            self.statement(depth + 1, in_loop, local) for _ in range(self.draw(st.integers(0, 2)))
        ]
        statements.insert(self.draw(st.integers(0, len(statements))), [risky])
        lines = ["try:", *("    " + line for stmt in statements for line in stmt)]
        lines += ["except (KeyError, IndexError):", *self.block(depth + 1, in_loop, local)]
        if self.draw(st.booleans()):
            lines += ["else:", *self.block(depth + 1, in_loop, local)]
        if self.draw(st.booleans()):
            lines += ["finally:", *self.block(depth + 1, False, local)]
        return lines

    def _jump(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        return [
            f"if {self.condition(local)}:",
            f"    {self.draw(st.sampled_from(['break', 'continue']))}",
        ]

    def _def(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        name = self.scope.fresh("f")
        style_options = ["pure"]
        if self.scope.of("int"):
            style_options.append("global_int")
        if self.scope.of("list"):
            style_options += ["mutate_arg", "global_list"]
        if self.scope.of("dict"):
            style_options.append("mutate_dict")
        style = self.draw(st.sampled_from(style_options))
        if style == "pure":
            body_expr = self.int_expr(0, ("x", "y"))
            lines = [f"def {name}(x, y=1):", f"    return {body_expr}"]
            kinds = ["int", "int"]
        elif style == "global_int":
            g = self.draw(st.sampled_from(self.scope.of("int")))
            lines = [
                f"def {name}(x):",
                f"    global {g}",
                f"    {g} += x",
                f"    return {g} * 2",
            ]
            kinds = ["int"]
        elif style == "mutate_arg":
            lines = [
                f"def {name}(items, x):",
                "    for k in range(2):",
                "        items.append(x + k)",
                "    return len(items)",
            ]
            kinds = ["list", "int"]
        elif style == "global_list":
            g = self.draw(st.sampled_from(self.scope.of("list")))
            lines = [
                f"def {name}(x):",
                f"    if x not in {g}:",
                f"        {g}.append(x)",
                f"    return sum({g})",
            ]
            kinds = ["int"]
        else:
            lines = [
                f"def {name}(table, x):",
                '    table["a"] = table.get("a", 0) + x',
                "    return len(table)",
            ]
            kinds = ["dict", "int"]
        self.scope.functions.append((name, kinds))
        self.scope.names[name] = "function"
        return lines

    def _call(self, depth: int, in_loop: bool, local: tuple[str, ...]) -> list[str]:
        name, kinds = self.draw(st.sampled_from(self.scope.functions))
        args = []
        for kind in kinds:
            if kind == "int":
                args.append(self.int_expr(1, local))
            else:
                args.append(self.draw(st.sampled_from(self.scope.of(kind))))
        call = f"{name}({', '.join(args)})"
        target = self._target_int()
        if target is not None and self.draw(st.booleans()):
            return [f"{target} = {call}"]
        if depth == 0 and self.draw(st.booleans()):
            fresh = self.scope.fresh("i")
            self.scope.names[fresh] = "int"
            return [f"{fresh} = {call}"]
        return [call]


@st.composite
def programs(draw: st.DrawFn) -> str:
    writer = ProgramWriter(draw)
    lines: list[str] = []
    # Some data first, then functions over it, then anything: programs where functions
    # and aliases meet loops are the interesting ones, so they must not be rare.
    for _ in range(draw(st.integers(2, 4))):
        kind = draw(st.sampled_from(["int", "list", "list", "dict"]))
        lines += getattr(writer, f"_new_{kind}")(0, False, ())
    for _ in range(draw(st.integers(0, 2))):
        if draw(st.booleans()) and (writer.scope.of("list") or writer.scope.of("dict")):
            lines += writer._new_alias(0, False, ())
    for _ in range(draw(st.integers(0, 2))):
        lines += writer._def(0, False, ())
    for _ in range(draw(st.integers(2, 10))):
        lines += writer.statement(0, False)
    return "\n".join(lines) + "\n"


def plain_exec(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(source, "<program>", "exec"), namespace)
    return {k: v for k, v in namespace.items() if not k.startswith("__")}


def data_names(values: dict[str, Any]) -> list[str]:
    """Variables that hold data (not functions): the ones saved as artifacts."""
    return sorted(k for k, v in values.items() if isinstance(v, (int, list, dict)))


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=programs())
def test_traced_runs_and_slices_agree_with_plain_python(source: str) -> None:
    import linea_core

    note(f"program:\n{source}")
    plain = plain_exec(source)
    saved = data_names(plain)
    traced_source = (
        "import linea_core as lineapy\n"
        + source
        + "".join(f'lineapy.save({name}, "{name}")\n' for name in saved)
    )
    note(f"traced program:\n{textwrap.indent(traced_source, '    ')}")
    result = linea_core.trace(traced_source)

    traced = {k: v for k, v in result.values.items() if not k.startswith("__") and k != "lineapy"}
    assert sorted(traced) == sorted(plain), "traced run ends with other variables"
    for name in saved:
        assert traced[name] == plain[name], f"{name}: traced {traced[name]!r} != {plain[name]!r}"
    for name in [k for k in plain if k not in saved]:
        assert getattr(traced[name], "__name__", None) == plain[name].__name__

    assert sorted(result.artifacts) == saved
    for name in saved:
        code = result.artifacts[name].get_code()
        namespace: dict[str, Any] = {"__name__": "__main__"}
        try:
            exec(compile(code, f"<slice of {name}>", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - reported as the failure
            raise AssertionError(f"slice of {name} raises {exc!r}:\n{code}") from exc
        assert name in namespace, f"slice of {name} does not bind it:\n{code}"
        assert namespace[name] == plain[name], (
            f"slice of {name} recomputes {namespace[name]!r}, the program computed "
            f"{plain[name]!r}:\n{code}"
        )
