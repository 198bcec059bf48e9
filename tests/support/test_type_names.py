"""A type whose ``__module__`` is not a string must not crash the code that asks."""

from __future__ import annotations

from linea_core.support.type_names import module_of_type


class _DescriptorModule(type):
    """A metaclass whose classes answer ``__module__`` with a non-string, as compiled
    extension types (Cython functions on Python 3.10) do."""

    @property
    def __module__(cls) -> object:  # type: ignore[override]
        return object()


def test_string_module_is_returned() -> None:
    assert module_of_type(int) == "builtins"
    assert module_of_type(type(test_string_module_is_returned)) == "builtins"


def test_non_string_module_reads_as_unknown() -> None:
    odd = _DescriptorModule("Odd", (), {})
    assert not isinstance(odd.__module__, str)
    assert module_of_type(odd) == ""
