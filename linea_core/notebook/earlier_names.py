"""Names that were in the namespace before linea started tracing.

When the extension is loaded mid-session (or a new session starts after the store
moved), the namespace already holds variables whose code linea never saw. Modules and
importable functions or classes can be recreated exactly by an import statement, so
they get one; anything else is named in a comment that a slice needing it keeps
(:data:`EARLIER_MARK`), so the code says what is missing instead of using it silently.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Every comment naming variables defined before tracing starts with this.
EARLIER_MARK = "# linea: defined before linea started tracing, not recreated here:"

# Names IPython itself puts in the user namespace (history, output cache, helpers).
_IPYTHON_NAME = re.compile(r"^(_+|_i+|_\d+|_i\d+|_ih|_oh|_dh|In|Out|get_ipython|exit|quit)$")


@dataclass(frozen=True)
class EarlierNames:
    """What tracing starts from: import lines that recreate some names, the rest named."""

    imports: tuple[tuple[str, str], ...]  # (name, import statement)
    untraced: tuple[str, ...]  # names no statement can recreate

    @property
    def names(self) -> tuple[str, ...]:
        return (*(name for name, _ in self.imports), *self.untraced)

    def source(self) -> str:
        """The text of the block standing for them (shown first in the session code)."""
        lines = [statement for _, statement in self.imports]
        if self.untraced:
            lines.append(untraced_comment(self.untraced))
        return "\n".join(lines)


def untraced_comment(names: Iterable[str]) -> str:
    return f"{EARLIER_MARK} {', '.join(names)}"


def is_ipython_name(name: str) -> bool:
    return bool(_IPYTHON_NAME.match(name))


def user_names(namespace: Mapping[str, Any], hidden: Iterable[str]) -> list[str]:
    """The user's own names: not dunder, not IPython's, not hidden by the shell."""
    hidden_names = set(hidden)
    return [
        name
        for name in namespace
        if not (name.startswith("__") and name.endswith("__"))
        and name not in hidden_names
        and not is_ipython_name(name)
    ]


def earlier_names(namespace: Mapping[str, Any], names: Iterable[str]) -> EarlierNames:
    imports: list[tuple[str, str]] = []
    untraced: list[str] = []
    for name in sorted(names):
        statement = import_statement(name, namespace[name])
        if statement is None:
            untraced.append(name)
        else:
            imports.append((name, statement))
    return EarlierNames(tuple(imports), tuple(untraced))


def import_statement(name: str, value: Any) -> str | None:
    """An import binding ``name`` to exactly ``value``, or None if there is none."""
    if isinstance(value, types.ModuleType):
        module = value.__name__
        if sys.modules.get(module) is not value or module == "__main__":
            return None
        if module == name:
            return f"import {module}"
        return f"import {module} as {name}"
    defined_in = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None)
    if (
        not isinstance(defined_in, str)
        or not isinstance(qualname, str)
        or defined_in == "__main__"
        or "." in qualname
        or not isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType))
    ):
        return None
    owner = sys.modules.get(defined_in)
    if owner is None or getattr(owner, qualname, None) is not value:
        return None
    if qualname == name:
        return f"from {defined_in} import {name}"
    return f"from {defined_in} import {qualname} as {name}"
