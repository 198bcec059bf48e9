"""The bases of what linea raises and warns: LineaError and LineaWarning."""


class LineaError(Exception):
    """Base class so callers can catch everything linea raises on purpose."""


class LineaWarning(UserWarning):
    """Base class of every warning linea emits, so one filter silences or raises them all
    (``warnings.simplefilter("ignore", LineaWarning)``). A ``UserWarning``: each says
    something the user can act on, and Python shows those by default."""
