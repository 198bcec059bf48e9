"""Masking secrets wherever linea shows configuration: printed options, reprs, logs, errors.

Two kinds of secret reach linea's configuration: a password inside a URL
(``postgresql://me:hunter2@db/linea``, ``ftp://u:p@host/dir``) and the values of
``storage_options`` (fsspec credentials such as ``key``/``secret``/``token``). Every
place that prints either goes through these functions, so there is one rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "***"
# scheme://user:password@host -> scheme://user:***@host (user kept: it helps debugging).
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)[^@/\s]*@")
# password=... / token=... in a query string or a libpq keyword string.
_QUERY_SECRET = re.compile(
    r"(?P<head>(?:^|[?&;\s])(?:password|passwd|pwd|secret|token|key|sig|signature)=)[^&;\s]*",
    re.IGNORECASE,
)


def mask_url(text: str) -> str:
    """``text`` with URL passwords and secret query parameters replaced by ``***``."""
    masked = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK + "@", text)
    return _QUERY_SECRET.sub(lambda m: m.group("head") + MASK, masked)


def mask_mapping(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a mapping of options (``storage_options``) with every value masked.

    Every value is masked, not only those whose key looks secret: fsspec backends name
    credentials freely (``key``, ``secret``, ``token``, ``account_key``, ``sas_token``,
    ``client_kwargs`` holding more...), and the keys alone say enough to debug with.
    """
    if values is None:
        return None
    return {str(key): MASK for key in values}


def mask_text(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """``text`` with URL passwords masked and each of ``secrets`` (longer than 3) replaced."""
    masked = mask_url(text)
    for secret in sorted({s for s in secrets if len(s) > 3}, key=len, reverse=True):
        masked = masked.replace(secret, MASK)
    return masked


def secret_strings(value: Any) -> list[str]:
    """Every string nested in ``value`` (a storage_options mapping), for :func:`mask_text`."""
    found: list[str] = []
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            found.extend(secret_strings(item))
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            found.extend(secret_strings(item))
    return found


def mask_option(value: Any) -> Any:
    """A configuration value as linea shows it: URL passwords masked, mappings' values masked.

    Mappings only ever hold backend options (``storage_options``), which carry
    credentials; every other item is a path, a URL or a word.
    """
    if isinstance(value, Mapping):
        return mask_mapping(value)
    if isinstance(value, str):
        return mask_url(value)
    return value
