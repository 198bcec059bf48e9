"""Hypothesis strategies that write programs, one per class of unsound slice
found when users' code was traced.

Every program is valid Python that runs (bounded loops, guarded divisions, names bound
before use), so a failing check is a linea bug, never a broken program. Each saves a
variable under its own name (``lineapy.save(x, "x")``), possibly many times (versions).
Hypothesis shrinks a failure to few, short statements; :class:`soundness.Program`
prints it as source.

- :func:`compound_programs`: saves inside if/elif/else, for, while, try, with, match,
  functions (with and without ``global``), ``def main()`` run from
  ``if __name__ == "__main__":``, nested functions. With ``variants=True`` the program's
  inputs (``a = ..``, ``b = ..``) get other values: slices must hold on branches not taken.
- :func:`aliasing_programs`: copies and views of containers (``dict(a)``, ``copy.copy``,
  ``{**d}``, ``list(rows)``, ``rows[:]``, a list stored in a dict) mutated through the copy.
- :func:`global_state_programs`: ``np.random`` draws (shape tuples, ``size=``), seeding
  (also inside a helper), ``random``, ``decimal``'s context, a local module's attributes,
  ``sys.setrecursionlimit``, submodule imports.
- :func:`indirect_programs`: bound methods in dicts, lazy ``map``/generators consumed
  later, ``functools.partial``, lambdas in lists, context managers that change a
  global, ``defaultdict`` reads that insert keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st
from soundness import Program

LINEA = "import linea_core as lineapy"


def indent(lines: list[str], levels: int = 1) -> list[str]:
    return ["    " * levels + line for line in lines]


# --- saves anywhere (and branches not taken) ----------------------------------------------


@dataclass
class Names:
    """What a block may read and write: ints read, ints assigned, lists, dicts."""

    ints: tuple[str, ...]
    assign: tuple[str, ...]
    lists: tuple[str, ...] = ("lst",)
    dicts: tuple[str, ...] = ("d",)
    loop_vars: tuple[str, ...] = ()

    def readable(self) -> tuple[str, ...]:
        return self.ints + self.loop_vars


GLOBAL = Names(ints=("a", "b"), assign=("a", "b"))


COMPOUNDS = ("if", "for", "while", "try", "with", "match")
FUNCTIONS = ("function", "main", "nested")


class CompoundWriter:
    def __init__(
        self, draw: st.DrawFn, compounds: tuple[str, ...] = COMPOUNDS, functions: bool = True
    ) -> None:
        self.draw = draw
        self.functions = 0
        self.compounds = compounds
        self.allow_functions = functions

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return self.draw(st.sampled_from(list(options)))

    def small(self) -> int:
        return self.draw(st.integers(-2, 6))

    def simple(self, names: Names) -> list[str]:
        r = names.readable()
        x, y = self.pick(r), self.pick(r)
        t = self.pick(names.assign)
        lst, d = self.pick(names.lists), self.pick(names.dicts)
        forms = [
            f"{t} = {x} + {y}",
            f"{t} += {self.small()}",
            f"{t} = {x} % 5 - {y}",
            f"{lst}.append({x})",
            f'{d}["k"] = {d}.get("k", 0) + {x}',
            f"{t} = len({lst})",
            f"{t} = sum({lst}) % 11",
            f'lineapy.save({t}, "{t}")',
            f'lineapy.save({lst}, "{lst}")',
            f'lineapy.save({d}, "{d}")',
        ]
        if "lst" in names.assign or names is GLOBAL:
            forms.append("lst = lst[-3:]")
        return [self.pick(forms)]

    def block(self, names: Names, depth: int) -> list[str]:
        lines: list[str] = []
        for _ in range(self.draw(st.integers(1, 3))):
            lines += self.statement(names, depth)
        return lines

    def statement(self, names: Names, depth: int) -> list[str]:
        kinds = ["simple", "simple", "save"]
        if depth < 2:
            kinds += list(self.compounds)
            if names is GLOBAL and self.functions < 2 and self.allow_functions:
                kinds += ["function", "main", "nested"]
        kind = self.pick(kinds)
        if kind == "simple":
            return self.simple(names)
        if kind == "save":
            target = self.pick(names.assign + names.lists + names.dicts)
            return [f'lineapy.save({target}, "{target}")']
        return getattr(self, f"_{kind}")(names, depth)

    def test(self, names: Names) -> str:
        return f"{self.pick(names.readable())} > {self.small()}"

    def _if(self, names: Names, depth: int) -> list[str]:
        lines = [f"if {self.test(names)}:", *indent(self.block(names, depth + 1))]
        if self.draw(st.booleans()):
            lines += [f"elif {self.test(names)}:", *indent(self.block(names, depth + 1))]
        if self.draw(st.booleans()):
            lines += ["else:", *indent(self.block(names, depth + 1))]
        return lines

    def _for(self, names: Names, depth: int) -> list[str]:
        var = f"i{depth}"
        inner = Names(names.ints, names.assign, names.lists, names.dicts, (*names.loop_vars, var))
        source = self.pick([f"range({self.draw(st.integers(0, 3))})", f"list({names.lists[0]})"])
        lines = [f"for {var} in {source}:", *indent(self.block(inner, depth + 1))]
        if self.draw(st.integers(0, 3)) == 0:
            lines += [f"    if {var} > {self.small()}:", "        break"]
        return lines

    def _while(self, names: Names, depth: int) -> list[str]:
        var = f"w{depth}"
        inner = Names(names.ints, names.assign, names.lists, names.dicts, (*names.loop_vars, var))
        bound = self.draw(st.integers(0, 3))
        return [f"{var} = 0", f"while {var} < {bound}:", f"    {var} += 1"] + indent(
            self.block(inner, depth + 1)
        )

    def _try(self, names: Names, depth: int) -> list[str]:
        x = self.pick(names.readable())
        t = self.pick(names.assign)
        risky = f"{t} = 12 // ({x} % 3)"  # raises ZeroDivisionError on some inputs
        statements = [self.statement(names, depth + 1) for _ in range(self.draw(st.integers(0, 2)))]
        statements.insert(self.draw(st.integers(0, len(statements))), [risky])
        body = [line for statement in statements for line in statement]
        # handlers that also catch BaseException would swallow a slice's stop
        handler = self.pick(
            [
                "except ZeroDivisionError:",
                "except BaseException:",
                "except:",
                "except (ValueError, BaseException) as error:",
            ]
        )
        lines = ["try:", *indent(body), handler]
        lines += indent(self.block(names, depth + 1))
        if self.draw(st.booleans()):
            lines += ["else:", *indent(self.block(names, depth + 1))]
        if self.draw(st.booleans()):
            lines += ["finally:", *indent(self.block(names, depth + 1))]
        return lines

    def _with(self, names: Names, depth: int) -> list[str]:
        x = self.pick(names.readable())
        t = self.pick(names.assign)
        return [f"with contextlib.nullcontext({x}) as {t}:", *indent(self.block(names, depth + 1))]

    def _match(self, names: Names, depth: int) -> list[str]:
        x = self.pick(names.readable())
        lines = [f"match {x} % 4:", "    case 0 | 1:", *indent(self.block(names, depth + 1), 2)]
        lines += ["    case 2:", *indent(self.block(names, depth + 1), 2)]
        if self.draw(st.booleans()):
            lines += ["    case _:", *indent(self.block(names, depth + 1), 2)]
        return lines

    def _function_body(self, depth: int) -> list[str]:
        """A body with globals (``global a, b``) or with its own locals."""
        if self.draw(st.booleans()):
            return ["global a, b", *self.block(GLOBAL_IN_FUNCTION, depth + 1)]
        local = Names(ints=("a", "b", "u"), assign=("u",), lists=("lst", "ul"))
        head = [f"u = a + {self.small()}", "ul = list(lst)"]
        return head + self.block(local, depth + 1)

    def _function(self, names: Names, depth: int) -> list[str]:
        self.functions += 1
        name = f"f{self.functions}"
        calls = [f"{name}()"] * self.draw(st.integers(1, 2))
        return [f"def {name}():", *indent(self._function_body(depth)), *calls]

    def _main(self, names: Names, depth: int) -> list[str]:
        self.functions += 1
        name = "main" if self.functions == 1 else f"main{self.functions}"
        lines = [f"def {name}():", *indent(self._function_body(depth))]
        return lines + ['if __name__ == "__main__":', f"    {name}()"]

    def _nested(self, names: Names, depth: int) -> list[str]:
        self.functions += 1
        outer = f"outer{self.functions}"
        inner = ["def inner():", *indent(self._function_body(depth)), "inner()"]
        return [f"def {outer}():", *indent(inner), f"{outer}()"]


GLOBAL_IN_FUNCTION = Names(ints=("a", "b"), assign=("a", "b"))


@st.composite
def compound_programs(
    draw: st.DrawFn,
    variants: bool = False,
    compounds: tuple[str, ...] = COMPOUNDS,
    functions: bool = True,
) -> Program:
    """``compounds=()`` with ``functions=True``: saves inside functions (and main())
    whose bodies hold simple statements only, so that class is checked on its own."""
    writer = CompoundWriter(draw, compounds, functions)
    a, b = draw(st.integers(-2, 6)), draw(st.integers(-2, 6))
    start = draw(st.lists(st.integers(0, 5), max_size=3))
    lines = [
        "import contextlib",
        LINEA,
        f"a = {a}",
        f"b = {b}",
        f"lst = {start}",
        'd = {"k": 0}',
    ]
    for _ in range(draw(st.integers(1, 4))):
        lines += writer.statement(GLOBAL, 0)
    if functions and not compounds:  # the functions class: at least one function
        lines += getattr(writer, f"_{draw(st.sampled_from(FUNCTIONS))}")(GLOBAL, 0)
    target = draw(st.sampled_from(["a", "b", "lst", "d"]))
    lines.append(f'lineapy.save({target}, "{target}")')
    found: tuple[tuple[tuple[str, str], ...], ...] = ()
    if variants:
        other_a = draw(st.integers(-2, 6).filter(lambda v: v != a))
        other_b = draw(st.integers(-2, 6))
        found = (((f"a = {a}", f"a = {other_a}"), (f"b = {b}", f"b = {other_b}")),)
    return Program("\n".join(lines) + "\n", variants=found)


# --- aliasing through copies and containers -----------------------------------------------


@dataclass
class AliasState:
    views: dict[str, str] = field(default_factory=dict)  # name -> kind
    count: int = 0


# (expression, kind) for new names: kinds say which mutations apply
ALIAS_FORMS = [
    ("dict(base)", "dict_of_lists"),
    ("copy.copy(base)", "dict_of_lists"),
    ("{**base}", "dict_of_lists"),
    ("base.copy()", "dict_of_lists"),
    ("copy.deepcopy(base)", "dict_of_lists"),
    ("base", "dict_of_lists"),
    ("list(rows)", "list_of_lists"),
    ("rows[:]", "list_of_lists"),
    ("copy.copy(rows)", "list_of_lists"),
    ("[*rows]", "list_of_lists"),
    ("tuple(rows)", "seq_of_lists"),
    ("rows[0]", "list"),
    ('base["k"]', "list"),
    ("list(rows[0])", "list"),
    ('{"x": rows[0]}', "holder"),
    ('[base["k"]]', "seq_of_lists"),
]


@st.composite
def aliasing_programs(draw: st.DrawFn) -> Program:
    state = AliasState()
    lines = [
        "import copy",
        LINEA,
        "rows = [[1, 2], [3]]",
        'base = {"k": [1], "n": 0}',
        "def grow(x, n):",
        "    x.append(n)",
    ]
    saveable = ["rows", "base"]

    def n() -> int:
        return draw(st.integers(0, 9))

    for _ in range(draw(st.integers(1, 8))):
        choice = draw(st.sampled_from(["new", "new", "mutate", "mutate", "mutate", "save"]))
        if choice == "new" or (choice == "mutate" and not state.views):
            form, kind = draw(st.sampled_from(ALIAS_FORMS))
            state.count += 1
            name = f"v{state.count}"
            state.views[name] = kind
            saveable.append(name)
            lines.append(f"{name} = {form}")
        elif choice == "mutate":
            name = draw(st.sampled_from(sorted(state.views)))
            kind = state.views[name]
            options = {
                "dict_of_lists": [
                    f'{name}["k"].append({n()})',
                    f'{name}["n"] = {n()}',
                    f'{name}["k"] = [{n()}]',
                    f'grow({name}["k"], {n()})',
                ],
                "list_of_lists": [
                    f"{name}[0].append({n()})",
                    f"{name}.append([{n()}])",
                    f"{name}[-1] += [{n()}]",
                    f"grow({name}[0], {n()})",
                ],
                "seq_of_lists": [f"{name}[0].append({n()})", f"grow({name}[-1], {n()})"],
                "list": [f"{name}.append({n()})", f"{name}.sort()", f"{name}[0] = {n()}"],
                "holder": [f'{name}["x"].append({n()})', f'{name}["y"] = [{n()}]'],
            }[kind]
            options += ["rows[0].append(7)", 'base["k"].append(8)', "rows.append([5])"]
            lines.append(draw(st.sampled_from(options)))
        else:
            target = draw(st.sampled_from(saveable))
            lines.append(f'lineapy.save({target}, "{target}")')
    for target in draw(st.lists(st.sampled_from(saveable), min_size=1, max_size=3, unique=True)):
        lines.append(f'lineapy.save({target}, "{target}")')
    return Program("\n".join(lines) + "\n")


# --- module and library global state --------------------------------------------------------

HELPER = """\
data = []
scale = 1


def total():
    return sum(data) * scale
"""


@st.composite
def global_state_programs(draw: st.DrawFn, features: str = "all") -> Program:
    """``features``: "random" (numpy's and random's generators), "modules" (a local
    module's attributes, decimal's context, the recursion limit, submodule imports)."""
    seed = draw(st.integers(0, 5))
    lines = [
        "import decimal",
        "import random",
        "import sys",
        "import numpy as np",
        LINEA,
        "import helper",
        "def reseed(s):",
        "    np.random.seed(s)",
        f"np.random.seed({seed})",
        f"random.seed({seed})",
        "arr = np.arange(5)",
        "items = [1, 2, 3, 4]",
        f"rng = np.random.default_rng({seed})",
    ]
    saveable = ["arr", "items"]
    count = 0

    def s() -> int:
        return draw(st.integers(0, 5))

    def k() -> int:
        return draw(st.integers(1, 3))

    for _ in range(draw(st.integers(1, 8))):
        count += 1
        x = f"x{count}"
        random_forms = [
            f"{x} = np.random.rand({k()})",
            f"{x} = np.random.random(({k()}, {k()}))",
            f"{x} = np.random.normal(0, 1, size=({k()}, {k()}))",
            f"{x} = np.random.randint(0, 10, size={k()})",
            f"{x} = np.random.choice(5, {k()})",
            f"{x} = np.random.permutation({k() + 2})",
            f"{x} = np.random.uniform(size=[{k()}])",
            "np.random.shuffle(arr)",
            f"np.random.seed({s()})",
            f"reseed({s()})",
            f"{x} = random.random()",
            f"{x} = random.randint(0, 9)",
            "random.shuffle(items)",
            f"random.seed({s()})",
            f"{x} = rng.integers(0, 9, size={k()})",
        ]
        module_forms = [
            f"decimal.getcontext().prec = {draw(st.integers(2, 8))}",
            f"{x} = decimal.Decimal(1) / decimal.Decimal(7)",
            f"helper.data.append({s()})",
            f"helper.scale = {s()}",
            f"helper.data = [{s()}, {s()}]",
            f"{x} = helper.total()",
            f"sys.setrecursionlimit({draw(st.integers(2000, 4000))})",
            f"{x} = sys.getrecursionlimit()",
            f"{x} = list(helper.data)",
        ]
        forms = {"random": random_forms, "modules": module_forms}.get(
            features, random_forms + module_forms
        )
        line = draw(st.sampled_from(forms))
        lines.append(line)
        if line.startswith(f"{x} ="):
            saveable.append(x)
            if draw(st.booleans()):
                lines.append(f'lineapy.save({x}, "{x}")')
    if features != "random" and draw(st.integers(0, 3)) == 0:
        lines[:0] = ["import xml.dom.minidom"]
        lines += [
            "import xml",
            'tag = xml.dom.minidom.parseString("<a><b/></a>").firstChild.tagName',
        ]
        saveable.append("tag")
    for target in draw(st.lists(st.sampled_from(saveable), min_size=1, max_size=3, unique=True)):
        lines.append(f'lineapy.save({target}, "{target}")')
    return Program("\n".join(lines) + "\n", files=(("helper.py", HELPER),))


# --- indirect calls -----------------------------------------------------------------------

INDIRECT_PRELUDE = [
    "import collections",
    "import contextlib",
    "import functools",
    LINEA,
    "lst = [1]",
    "factor = 2",
    "class Acc:",
    "    def __init__(self):",
    "        self.items = []",
    "    def add(self, x):",
    "        self.items.append(x)",
    "        return len(self.items)",
    "acc = Acc()",
    "@contextlib.contextmanager",
    "def scaled(n):",
    "    global factor",
    "    old = factor",
    "    factor = n",
    "    try:",
    "        yield factor",
    "    finally:",
    "        factor = old",
    "@contextlib.contextmanager",
    "def setting(n):",
    "    global factor",
    "    factor = n",
    "    yield",
    "counts = collections.defaultdict(int)",
    'ops = {"add": lst.append, "acc": acc.add}',
]


@st.composite
def indirect_programs(draw: st.DrawFn) -> Program:
    lines = list(INDIRECT_PRELUDE)
    saveable = ["lst", "acc", "factor", "counts"]
    pending: list[tuple[str, str]] = []  # lazy objects not consumed yet: (name, how)
    count = 0

    def n() -> int:
        return draw(st.integers(0, 9))

    for _ in range(draw(st.integers(1, 8))):
        count += 1
        y = f"y{count}"
        forms = [
            f'ops["add"]({n()})',
            f'{y} = ops["acc"]({n()})',
            f"{y} = map(lst.append, [{n()}, {n()}])",
            f"{y} = (lst.append(i) for i in range({draw(st.integers(1, 3))}))",
            f"{y} = (acc.add(i * factor) for i in range(2))",
            f"with scaled({n()}):\n    {y} = factor * len(lst)",
            f"with setting({n()}):\n    pass",
            f"{y} = factor + 1",
            f'{y} = counts["k{draw(st.integers(0, 2))}"] + 1',
            f"{y} = len(counts)",
            f"{y} = functools.partial(lst.append, {n()})",
            f"{y} = [lambda: lst.append({n()})]",
            f"{y} = acc.add",
        ]
        if pending:
            forms += ["consume"] * 3
        line = draw(st.sampled_from(forms))
        if line == "consume":
            name, how = pending.pop(draw(st.integers(0, len(pending) - 1)))
            lines.append(how.format(name))
            continue
        lines += line.split("\n")
        if "map(" in line or "(lst.append(i)" in line or "(acc.add(" in line:
            how = draw(
                st.sampled_from(["list({})", "for _ in {}:\n    pass", "sum(1 for _ in {})"])
            )
            pending.append((y, how))
        elif "partial(" in line:
            pending.append((y, "{}()"))
        elif "lambda" in line:
            pending.append((y, "{}[0]()"))
        elif line.endswith("acc.add"):
            pending.append((y, "{}(" + str(n()) + ")"))
        elif line.startswith(f"{y} =") or f"    {y} =" in line:
            saveable.append(y)
        if draw(st.integers(0, 2)) == 0:
            target = draw(st.sampled_from(saveable))
            lines.append(f'lineapy.save({target}, "{target}")')
    for target in draw(st.lists(st.sampled_from(saveable), min_size=1, max_size=3, unique=True)):
        lines.append(f'lineapy.save({target}, "{target}")')
    text = "\n".join(line for chunk in lines for line in chunk.split("\n"))
    return Program(text + "\n")
