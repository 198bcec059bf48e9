"""Library state no program object holds: hidden random generators, contexts, settings.

``np.random.seed(0)`` in a helper function, ``sklearn``'s ``train_test_split`` drawing
from numpy's global generator, ``decimal.getcontext().prec = 5``,
``sys.setrecursionlimit(5000)``, a seaborn call drawing on pyplot's current figure:
each changes state that lives inside a library, reached through no name the program
binds, so neither fingerprints nor annotation packs see it when the call is not
described. Probes read a small token of each such state before and after a statement;
a changed token means the statement changed the state.

Two kinds of state:

* **Generators and figures** (``numpy.random``, ``random``, ``matplotlib.pyplot``): a
  change is recorded as a change of the module (the object annotation packs already
  use for it), so the next draw, or ``savefig``, depends on it. Every draw advances a
  generator, so every reader is also seen as a changer.
* **Ambient settings** (``decimal``'s context, the recursion limit, numpy's print and
  error options, pandas' options): what reads them is invisible (any ``Decimal`` operation, any deep
  recursion), so every later statement depends on the latest change.
* **Library settings read by the library's own objects** (matplotlib's ``rcParams``,
  changed by ``plt.rcParams[...] = v``, ``matplotlib.rc(...)``, ``plt.style.use``,
  ``sns.set_theme()``, a helper): a change is a change of the module, read by
  statements that use the library's modules or objects (``plt.savefig``,
  ``ax.plot``, ``fig.savefig``) or that draw on pyplot's figures (``df.plot()``,
  seaborn), so slices of other values do not keep them. The backend
  (``matplotlib.use``) is no part of the token: it does not change what is drawn.

Tokens are cheap: the generators' state is read as raw bytes of their C structures
(checked against their public ``getstate`` when the probe is built; a layout that does
not match falls back to the public, slower call), the others are a few attributes.
Known gap: numpy's legacy generator caches one Gaussian outside its bit generator, so a
``randn`` call consuming only that cached value changes no token.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

_MT_WORDS = 624  # MT19937 keeps 624 32-bit words and an int position
_NOT_IMPORTED = object()


@dataclass(frozen=True)
class Probe:
    """One piece of hidden state: the module that stands for it and how to read it.

    ``cheap`` probes run for every statement that calls anything; the others only
    for statements running code no pack describes (the only ones that can change them
    unseen). ``ambient`` states are read by every later statement. ``read_by`` lists
    module prefixes whose modules and objects read the state when a statement uses
    them, and ``read_on_change_of`` a probe whose change (a figure drawn) reads it.
    """

    module: str
    read: Callable[[ModuleType], object]
    cheap: bool
    ambient: bool
    read_by: tuple[str, ...] = ()
    read_on_change_of: str | None = None


class GlobalStateProbes:
    """Tokens of the hidden states of the libraries the process has imported."""

    def __init__(self) -> None:
        self._readers: dict[str, Callable[[ModuleType], object]] = {}
        self.probes: tuple[Probe, ...] = (
            Probe("numpy.random", self._numpy_random, cheap=True, ambient=False),
            Probe("random", self._python_random, cheap=True, ambient=False),
            Probe("matplotlib.pyplot", _pyplot_figures, cheap=False, ambient=False),
            Probe(
                "matplotlib",
                _rc_params,
                cheap=False,
                ambient=False,
                read_by=("matplotlib",),
                read_on_change_of="matplotlib.pyplot",
            ),
            Probe("decimal", _decimal_context, cheap=False, ambient=True),
            Probe("sys", _interpreter_limits, cheap=False, ambient=True),
            Probe("numpy", _numpy_options, cheap=False, ambient=True),
            Probe("pandas", _pandas_options, cheap=False, ambient=True),
        )

    def read(self, *, full: bool) -> dict[str, object]:
        """Module name -> token, for the imported modules (all probes when ``full``)."""
        modules = sys.modules
        tokens: dict[str, object] = {}
        for probe in self.probes:
            if not (full or probe.cheap):
                continue
            module = modules.get(probe.module)
            if module is None:
                # imported by the statement (``np.random`` on first use, a helper's
                # ``import``): whatever it did to the new state counts
                tokens[probe.module] = _NOT_IMPORTED
                continue
            try:
                tokens[probe.module] = probe.read(module)
            except Exception:  # a library version we do not know: no probe, no harm
                continue
        return tokens

    def changed(self, before: dict[str, object]) -> list[Probe]:
        """Probes whose token differs from ``before`` (read again now)."""
        if not before:
            return []
        modules = sys.modules
        found = []
        for probe in self.probes:
            if probe.module not in before:
                continue
            module = modules.get(probe.module)
            if module is None:
                continue
            try:
                now = probe.read(module)
            except Exception:
                continue
            if now != before[probe.module]:
                found.append(probe)
        return found

    # ------------------------------------------------------------ generators
    def _numpy_random(self, module: ModuleType) -> object:
        """The legacy global ``RandomState``'s bit generator state."""
        bit_generator = module.mtrand._rand._bit_generator
        return self._reader("numpy", bit_generator, _mt19937_reader)(module)

    def _python_random(self, module: ModuleType) -> object:
        """``random``'s hidden ``Random`` instance: its MT19937 words and cached Gaussian."""
        return self._reader("random", module._inst, _random_reader)(module)

    def _reader(
        self, kind: str, source: Any, make: Callable[[Any], Callable[[ModuleType], object]]
    ) -> Callable[[ModuleType], object]:
        """The reader of ``source`` (a generator whose state is read), made once per
        object; when the library holds another object (a reload), its reader replaces
        the one kept for that ``kind``."""
        key = f"{kind}:{id(source)}"
        reader = self._readers.get(key)
        if reader is None:
            reader = make(source)
            prefix = f"{kind}:"
            self._readers = {k: v for k, v in self._readers.items() if not k.startswith(prefix)}
            self._readers[key] = reader
        return reader


def _mt19937_reader(bit_generator: Any) -> Callable[[ModuleType], object]:
    """Raw bytes of an MT19937 state (``uint32 key[624]; int pos``) when the layout is
    the one numpy documents, else the public ``state`` dictionary's content."""
    public = bit_generator.state
    state = public.get("state", {}) if isinstance(public, dict) else {}
    if public.get("bit_generator") == "MT19937" and "key" in state:
        address = bit_generator.ctypes.state_address
        raw = (ctypes.c_char * (_MT_WORDS * 4 + 4)).from_address(address)
        key0 = ctypes.c_uint32.from_address(address).value
        pos = ctypes.c_int.from_address(address + _MT_WORDS * 4).value
        if key0 == int(state["key"][0]) and pos == int(state["pos"]):
            keep = bit_generator  # the buffer lives as long as its generator

            def read_raw(_module: ModuleType) -> object:
                return (id(keep), bytes(raw))

            return read_raw

    def read_public(_module: ModuleType) -> object:
        return repr(bit_generator.state)

    return read_public


def _random_reader(instance: Any) -> Callable[[ModuleType], object]:
    """CPython's ``_random.Random`` object is a header, ``int index`` and ``uint32
    state[624]``; read as bytes when that matches ``getstate()``, else ``getstate()``."""
    import _random

    basic = _random.Random.__basicsize__
    header = object.__basicsize__
    version, words, gauss = instance.getstate()
    if isinstance(instance, _random.Random) and basic >= header + 4 + 4 * _MT_WORDS:
        index = ctypes.c_int.from_address(id(instance) + header).value
        first = ctypes.c_uint32.from_address(id(instance) + header + 4).value
        if index == words[-1] and first == words[0]:
            raw = (ctypes.c_char * (4 + 4 * _MT_WORDS)).from_address(id(instance) + header)
            keep = instance

            def read_raw(_module: ModuleType) -> object:
                return (id(keep), bytes(raw), getattr(keep, "gauss_next", None))

            return read_raw

    def read_public(_module: ModuleType) -> object:
        return instance.getstate()

    return read_public


# ------------------------------------------------------------------ figures
def _pyplot_figures(module: ModuleType) -> object:
    """The open figures, the current one, and what their axes hold and show.

    Counts of artists, titles, labels and limits: enough to see a library or a helper
    draw on the current figure without walking every artist.
    """
    helpers = sys.modules.get("matplotlib._pylab_helpers")
    if helpers is None:
        return None
    gcf = helpers.Gcf
    managers = list(gcf.figs.items())
    if not managers:
        return ()
    active = gcf.get_active()
    token: list[object] = [id(active)]
    for number, manager in managers:
        figure = manager.canvas.figure
        token.append((number, id(figure), len(figure.texts), len(figure.legends)))
        for axes in figure.axes:
            children = getattr(axes, "_children", None)
            token.append(
                (
                    id(axes),
                    len(children) if children is not None else None,
                    axes.get_title(),
                    axes.get_xlabel(),
                    axes.get_ylabel(),
                    axes.get_xlim(),
                    axes.get_ylim(),
                    axes.get_legend() is not None,
                )
            )
    return tuple(token)


# ------------------------------------------------------------------ settings
#: rcParams keys that choose how figures are shown, not what they hold.
_DISPLAY_ONLY = frozenset({"backend", "backend_fallback", "interactive"})


def _rc_params(module: ModuleType) -> object:
    """matplotlib's ``rcParams`` values but the backend's (lists copied: a list value
    changed in place must still compare different)."""
    params = module.rcParams
    return tuple(
        (key, tuple(value) if isinstance(value, list) else value)
        for key, value in dict.items(params)
        if key not in _DISPLAY_ONLY
    )


def _decimal_context(module: ModuleType) -> object:
    context = module.getcontext()
    return (
        id(context),
        context.prec,
        context.rounding,
        context.Emin,
        context.Emax,
        context.capitals,
        context.clamp,
        tuple(sorted((t.__name__, bool(v)) for t, v in context.traps.items())),
    )


def _interpreter_limits(module: ModuleType) -> object:
    max_digits = getattr(module, "get_int_max_str_digits", None)
    return (module.getrecursionlimit(), max_digits() if max_digits is not None else None)


def _numpy_options(module: ModuleType) -> object:
    options = module.get_printoptions()
    return (tuple(sorted((k, repr(v)) for k, v in options.items())), tuple(module.geterr().items()))


def _pandas_options(module: ModuleType) -> object:
    """Every option's value (``pd.set_option("display.precision", 2)`` changes
    ``df.to_string()``), flattened from pandas' option registry."""
    config = sys.modules.get("pandas._config.config")
    if config is None:
        return None
    values: list[object] = []
    stack = [config._global_config]
    while stack:
        options = stack.pop()
        for value in options.values():
            if type(value) is dict:
                stack.append(value)
            else:
                values.append(value)
    return tuple(values)
