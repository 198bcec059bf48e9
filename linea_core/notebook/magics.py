"""What IPython magics and shell escapes may do, so a cell using them is recorded soundly.

IPython turns ``%name args``, ``%%name`` cells and ``!command`` lines into calls on
``get_ipython()`` before anything runs. Linea cannot look inside those calls, so each
one becomes an opaque node whose *reach* is declared here from the magic's name:

* ``none``: display or environment only (``%matplotlib inline``, ``%pip install``,
  ``!ls``): no slice ever needs it, it depends on nothing;
* ``files``: reads and writes files but cannot touch Python objects (``!wget``,
  ``%%writefile``, ``%cd``): later statements that read files depend on it;
* ``unknown``: anything (``%run``, ``%%time``, a magic linea does not know): it depends
  on everything before it and every object counts as changed by it.

A slice that keeps one shows it as a comment (:data:`MAGIC_MARK`): plain Python cannot
run it, and the comment says what the code relied on instead of dropping it silently.
"""

from __future__ import annotations

import ast
import shlex
from dataclasses import dataclass

#: Every comment that stands for a magic in a slice starts with this.
MAGIC_MARK = "# linea: needs IPython, not plain Python:"

# Line and cell magics whose reach is known; anything else is "unknown".
_NO_EFFECT = frozenset(
    {
        "aimport", "autoawait", "autocall", "automagic", "autoreload", "colors", "conda",
        "config", "doctest_mode", "hist", "history", "html", "HTML", "javascript", "js",
        "latex", "load", "load_ext", "lsmagic", "magic", "mamba", "markdown", "matplotlib",
        "micromamba", "page", "pdef", "pdoc", "pfile", "pinfo", "pinfo2", "pip", "pprint",
        "precision", "psearch", "psource", "pwd", "quickref", "reload_ext", "svg",
        "unload_ext", "uv", "who", "who_ls", "whos", "xmode",
    }
)  # fmt: skip
_FILES = frozenset(
    {"bash", "cd", "file", "logstart", "save", "script", "sh", "sx", "system", "writefile"}
)
# Shell commands that only read or install packages (the environment, not the data).
_READ_ONLY_COMMANDS = frozenset(
    {
        "cat", "conda", "date", "df", "du", "echo", "env", "file", "free", "head", "hostname",
        "ls", "ll", "mamba", "nproc", "nvidia-smi", "pip", "pip3", "printenv", "pwd", "tail",
        "tree", "uname", "uv", "wc", "which", "whoami",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Magic:
    """One top-level statement that calls into IPython instead of plain Python."""

    kind: str  # "line", "cell", "shell" or "ipython" (other get_ipython() use)
    name: str  # the magic's name, the shell command's first word, or ""
    effects: str  # "none", "files" or "unknown"
    resets: bool = False  # %reset: the namespace is wiped, tracing starts over


def classify(stmt: ast.stmt) -> Magic | None:
    """The magic ``stmt`` runs, or None for a statement that never calls ``get_ipython()``."""
    call = _ipython_call(stmt)
    if call is None:
        return _other_ipython_use(stmt)
    method, args = call
    if method == "run_line_magic" or method == "run_cell_magic":
        name = args[0] if args else ""
        kind = "line" if method == "run_line_magic" else "cell"
        line = args[1] if len(args) > 1 else ""
        if name in ("reset", "reset_selective", "xdel"):
            return Magic(kind, name, "unknown", resets=name == "reset")
        if name in ("sx", "system") or (kind == "cell" and name in ("bash", "sh")):
            body = args[2] if len(args) > 2 else ""
            return Magic(kind, name, _shell_effects(body if kind == "cell" else line))
        if name in _NO_EFFECT:
            return Magic(kind, name, "none")
        if name in _FILES:
            return Magic(kind, name, "files")
        return Magic(kind, name, "unknown")
    if method in ("system", "getoutput"):
        command = args[0] if args else ""
        return Magic("shell", _first_word(command), _shell_effects(command))
    return Magic("ipython", method, "unknown")


def comment_text(raw: str) -> str:
    """How a magic appears in code: commented out, after :data:`MAGIC_MARK`."""
    lines = raw.strip("\n").splitlines() or [""]
    if len(lines) == 1:
        return f"{MAGIC_MARK} {lines[0].strip()}"
    return "\n".join([MAGIC_MARK, *(f"# {line}".rstrip() for line in lines)])


def _ipython_call(stmt: ast.stmt) -> tuple[str, list[str]] | None:
    """``(method, constant args)`` of ``[x =] get_ipython().method(...)``."""
    value: ast.expr | None = None
    if isinstance(stmt, ast.Expr):
        value = stmt.value
    elif isinstance(stmt, ast.Assign):
        value = stmt.value
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and _is_get_ipython_call(value.func.value)
    ):
        return None
    args = [arg.value for arg in value.args if isinstance(arg, ast.Constant)]
    return value.func.attr, [arg for arg in args if isinstance(arg, str)]


def _is_get_ipython_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "get_ipython"
    )


def _other_ipython_use(stmt: ast.stmt) -> Magic | None:
    """Any other statement calling ``get_ipython()`` (IPython's machinery, by hand)."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and node.id == "get_ipython":
            return Magic("ipython", "get_ipython", "unknown")
    return None


def _first_word(command: str) -> str:
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        words = command.split()
    return words[0] if words else ""


def _shell_effects(command: str) -> str:
    """``none`` when every command of a simple pipeline only reads; else ``files``."""
    if any(sign in command for sign in (">", "`", "$(")):
        return "files"
    for part in command.replace("&&", ";").replace("||", ";").replace("|", ";").split(";"):
        word = _first_word(part.strip())
        if word and word not in _READ_ONLY_COMMANDS:
            return "files"
    return "none"
