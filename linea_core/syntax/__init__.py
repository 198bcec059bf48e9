"""Static analysis of Python statements: what they read, bind, mutate; pruning.

Pure functions over :mod:`ast`; nothing here touches a running namespace.
"""

from __future__ import annotations

from linea_core.syntax.analysis import analyse
from linea_core.syntax.facts import ArgRef, CallSite, StatementFacts
from linea_core.syntax.pruning import PrunedStatement, prune
from linea_core.syntax.source import statement_text

__all__ = [
    "ArgRef",
    "CallSite",
    "PrunedStatement",
    "StatementFacts",
    "analyse",
    "prune",
    "statement_text",
]
