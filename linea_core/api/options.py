"""The public ``linea_core.options`` object: a view of the current context's options.

It lives in the API layer because it is a facade over :mod:`linea_core.context`; the
configuration layer below only knows how options are resolved and validated.
"""

from __future__ import annotations

from typing import Any

from linea_core.config.options import ITEMS_BY_NAME
from linea_core.context import current_context


class LineaOptions:
    """The public ``linea_core.options``: a view of the *current context's* options.

    It holds no state of its own, so two contexts (two sessions, two threads) each see
    and change only their own configuration.
    """

    __slots__ = ()

    def get(self, key: str) -> Any:
        """The current value of configuration item ``key``."""
        return current_context().options.get(key)

    def set(self, key: str, value: Any) -> None:
        """Change ``key`` for the current context (not saved; ``linea init`` saves).

        Changing ``database_url``, ``artifact_storage_dir`` or ``storage_options``
        makes the next store access reopen the store at the new location; artifacts
        saved before stay where they were written.
        """
        current_context().set_option(key, value)

    def as_dict(self) -> dict[str, Any]:
        return current_context().options.to_json_dict()

    def __getattr__(self, name: str) -> Any:
        if name in ITEMS_BY_NAME:
            return self.get(name)
        raise AttributeError(name)

    def __dir__(self) -> list[str]:
        return sorted({*object.__dir__(self), *ITEMS_BY_NAME})

    def __repr__(self) -> str:
        # Secrets (passwords in URLs, storage_options values) are masked: this is what
        # ends up in notebooks, screenshots and bug reports. get() returns real values.
        values = current_context().options.shown()
        width = max(map(len, values))
        lines = [f"  {key:<{width}} = {value!r}" for key, value in values.items()]
        return "linea options (current context):\n" + "\n".join(lines)


options = LineaOptions()
