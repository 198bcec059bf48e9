"""Static analysis of Python statements: what they read, bind, mutate, and their text.

Pure functions over :mod:`ast`; nothing here touches a running namespace.
"""

from __future__ import annotations

from linea_core.syntax.analysis import analyse
from linea_core.syntax.facts import ArgRef, CallSite, StatementFacts
from linea_core.syntax.kinds import COMPOUND, is_compound
from linea_core.syntax.source import statement_text

__all__ = [
    "ArgRef",
    "CallSite",
    "COMPOUND",
    "StatementFacts",
    "analyse",
    "is_compound",
    "statement_text",
]
