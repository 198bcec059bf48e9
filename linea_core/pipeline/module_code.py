"""The generated module's source: ``<name>_module.py``.

Every writer ships this module next to its own files (an Airflow DAG imports it, a DVC
stage runs it), so it is rendered here, from the model, once. Its parts:

* the imports the functions use (``from __future__`` first), nothing else;
* each :class:`~linea_core.pipeline.model.ModuleFunction`;
* a function per session running its functions in order and returning
  ``{artifact name: value}``;
* ``run_all_sessions(...)`` running the sessions in dependency order;
* a ``__main__`` block with an ``argparse`` flag per parameter.

The module never imports linea. The text is formatted with ``ruff format`` when ruff
is installed (it is in linea's development environment), otherwise left as built,
which is already laid out in the same style.
"""

from __future__ import annotations

import io
import keyword
import shutil
import subprocess
import sys
import tokenize
from collections.abc import Iterable

from linea_core.pipeline.model import (
    ModuleFunction,
    Parameter,
    ParameterType,
    Pipeline,
    PipelineSession,
)

INDENT = "    "


def indent(code: str, prefix: str = INDENT) -> str:
    """Indent ``code`` by ``prefix``, leaving the inside of multi-line strings alone.

    ``textwrap.indent`` would change the value of a triple-quoted string spanning lines.
    """
    if not code:
        return code
    lines = code.splitlines()
    inside_string = _string_continuation_lines(code)
    return "\n".join(
        line if (number in inside_string or not line.strip()) else prefix + line
        for number, line in enumerate(lines, start=1)
    )


def _string_continuation_lines(code: str) -> set[int]:
    """1-based numbers of lines that start inside a multi-line string token."""
    found: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                found.update(range(token.start[0] + 1, token.end[0] + 1))
            elif token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                if token.end[0] > token.start[0]:
                    found.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found


def _returned(names: Iterable[str]) -> str:
    names = list(names)
    return ", ".join(names)


def function_source(function: ModuleFunction) -> str:
    """``def name(args):`` + indented body + ``return outputs``."""
    arguments = ", ".join(function.arguments)
    lines = [f"def {function.name}({arguments}):"]
    body = function.body
    if body:
        lines.append(indent(body))
    if function.outputs:
        lines.append(f"{INDENT}return {_returned(function.outputs)}")
    elif not body:
        lines.append(f"{INDENT}pass")
    return "\n".join(lines) + "\n"


def session_function_source(session: PipelineSession, pipeline: Pipeline) -> str:
    """The function running one session's functions, returning its artifacts' values."""
    defaults = {p.name: p for p in pipeline.parameters}
    arguments = [i.name for i in sorted(session.inputs, key=lambda i: i.name)]
    arguments += [f"{name}={defaults[name].default_source}" for name in sorted(session.parameters)]
    lines = [f"def {session.function_name}({', '.join(arguments)}):"]
    lines.append(f"{INDENT}artifacts = dict()")
    for step in session.steps:
        call = step.call
        args = ", ".join(local for _, local in call.arguments)
        invocation = f"{call.function}({args})"
        lines.append(
            f"{INDENT}{', '.join(call.results)} = {invocation}"
            if call.results
            else f"{INDENT}{invocation}"
        )
        for artifact, local in step.artifacts:
            value = f"copy.deepcopy({local})" if artifact in step.copied else local
            lines.append(f"{INDENT}artifacts[{artifact!r}] = {value}")
    lines.append(f"{INDENT}return artifacts")
    return "\n".join(lines) + "\n"


def run_all_source(pipeline: Pipeline) -> str:
    arguments = [f"{p.name}={p.default_source}" for p in _sorted(pipeline.parameters)]
    lines = [f"def run_all_sessions({', '.join(arguments)}):"]
    lines.append(f"{INDENT}artifacts = dict()")
    for session in pipeline.sessions:
        args = [f"artifacts[{i.artifact!r}]" for i in sorted(session.inputs, key=lambda i: i.name)]
        args += [f"{name}={name}" for name in sorted(session.parameters)]
        lines.append(f"{INDENT}artifacts.update({session.function_name}({', '.join(args)}))")
    lines.append(f"{INDENT}return artifacts")
    return "\n".join(lines) + "\n"


def _sorted(parameters: Iterable[Parameter]) -> list[Parameter]:
    return sorted(parameters, key=lambda p: p.name)


def argparse_flags(
    parameters: Iterable[Parameter], parser: str = "parser", helpers: str = ""
) -> list[str]:
    """``parser.add_argument("--name", type=..., default=...)`` lines, one per parameter.

    Booleans accept true/false/yes/no/1/0 (``_boolean``); containers and ``None`` are
    Python literals (``_literal``). Both helpers are defined by the generated module
    when its parameters need them: from another file pass ``helpers="module."`` (the
    prefix under which the module is imported).
    """
    lines = []
    for parameter in _sorted(parameters):
        kind = parameter.type
        converter = {
            ParameterType.STR: "str",
            ParameterType.INT: "int",
            ParameterType.FLOAT: "float",
            ParameterType.BOOL: f"{helpers}_boolean",
            ParameterType.LITERAL: f"{helpers}_literal",
        }[kind]
        lines.append(
            f'{parser}.add_argument("--{parameter.name}", type={converter}, '
            f"default={parameter.default_source})"
        )
    return lines


def main_source(pipeline: Pipeline) -> str:
    lines = ['if __name__ == "__main__":']
    parameters = pipeline.parameters
    if parameters:
        lines.append(f"{INDENT}parser = argparse.ArgumentParser(")
        lines.append(f"{INDENT}{INDENT}description={_describe(pipeline)!r}")
        lines.append(f"{INDENT})")
        lines.extend(INDENT + line for line in argparse_flags(parameters))
        lines.append(f"{INDENT}args = parser.parse_args()")
        call_args = ", ".join(f"{p.name}=args.{p.name}" for p in _sorted(parameters))
        lines.append(f"{INDENT}artifacts = run_all_sessions({call_args})")
    else:
        lines.append(f"{INDENT}artifacts = run_all_sessions()")
    lines.append(f"{INDENT}print(artifacts)")
    return "\n".join(lines) + "\n"


def _describe(pipeline: Pipeline) -> str:
    names = ", ".join(a.name for a in pipeline.artifacts if not a.reused) or pipeline.name
    return f"Run the {pipeline.name} pipeline (artifacts: {names})."


BOOLEAN_PARSER = '''def _boolean(text):
    """Parse a command-line boolean: true/false, yes/no, 1/0."""
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "y", "on"):
        return True
    if lowered in ("0", "false", "no", "n", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected a boolean, got {text!r}")
'''

LITERAL_PARSER = '''def _literal(text):
    """Parse a command-line Python literal: [1, 2], {"a": 1}, None."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise argparse.ArgumentTypeError(f"expected a Python literal, got {text!r}") from None
'''


def module_imports(pipeline: Pipeline) -> list[str]:
    """Import lines of the module: the user's, then what the generated code itself uses."""
    future = [line for line in pipeline.imports if line.startswith("from __future__")]
    user = [line for line in pipeline.imports if not line.startswith("from __future__")]
    own: list[str] = []
    kinds = {p.type for p in pipeline.parameters}
    if pipeline.parameters:
        own.append("import argparse")
    if ParameterType.LITERAL in kinds:
        own.append("import ast")
    if any(step.copied for session in pipeline.sessions for step in session.steps) or any(
        "copy.deepcopy(" in f.body for f in pipeline.functions
    ):
        own.append("import copy")
    own = [line for line in own if line not in user]
    return future + own + user


def module_source(pipeline: Pipeline, *, formatted: bool = True) -> str:
    """The complete text of ``<name>_module.py``."""
    parts = [f'"""{_describe(pipeline)}\n\nGenerated by linea; runs without linea."""\n']
    imports = module_imports(pipeline)
    if imports:
        parts.append("\n".join(imports) + "\n")
    parts.extend(pipeline.helpers)
    if any(p.type is ParameterType.BOOL for p in pipeline.parameters):
        parts.append(BOOLEAN_PARSER)
    if any(p.type is ParameterType.LITERAL for p in pipeline.parameters):
        parts.append(LITERAL_PARSER)
    parts.extend(function.source for function in pipeline.functions)
    parts.extend(session_function_source(s, pipeline) for s in pipeline.sessions)
    parts.append(run_all_source(pipeline))
    parts.append(main_source(pipeline))
    text = "\n\n".join(part.rstrip("\n") for part in parts) + "\n"
    return format_source(text) if formatted else text


def format_source(text: str) -> str:
    """``text`` formatted by ``ruff format`` if ruff is installed; unchanged otherwise.

    Formatting never changes behaviour, so a formatter failing (or missing) is not an
    error: the text is returned as it was.
    """
    ruff = _ruff_binary()
    if ruff is None:
        return text
    try:
        done = subprocess.run(
            [ruff, "format", "--isolated", "--line-length", "88", "--stdin-filename", "m.py", "-"],
            input=text,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return text
    return done.stdout if done.returncode == 0 and done.stdout else text


def _ruff_binary() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    except Exception:
        pass
    found = shutil.which("ruff")
    if found:
        return found
    candidate = shutil.which("ruff", path=str(__import__("pathlib").Path(sys.executable).parent))
    return candidate


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)
