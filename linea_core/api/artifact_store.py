"""``LineaArtifactStore``: the listing ``artifact_store()`` returns."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from linea_core.api.artifact import LineaArtifact, local_naive

if TYPE_CHECKING:
    from linea_core.store.records import ArtifactRecord
    from linea_core.store.repository import Store


class LineaArtifactStore:
    """A snapshot of every saved artifact version, for printing and exporting.

    Printing it (or its repr in a notebook) gives one ``name:version created on
    <time>`` line per version; :attr:`export` gives the same as a list of dicts for
    ``pandas.DataFrame(store.export)``; iterating gives :class:`LineaArtifact` objects.
    """

    def __init__(self, records: Sequence[ArtifactRecord], store: Store) -> None:
        self._records = list(records)
        self._store = store

    @property
    def export(self) -> list[dict[str, Any]]:
        """One dict per artifact version."""
        return [
            {
                "artifact_name": record.name,
                "artifact_version": record.version,
                "date_created": local_naive(record.date_created),
                "session_id": record.session_id,
                "node_id": record.node_id,
                "storage_backend": record.storage_backend,
                "serializer": record.value.serializer if record.value else None,
                "size": record.value.size if record.value else None,
            }
            for record in self._records
        ]

    @property
    def artifacts(self) -> list[LineaArtifact]:
        """Every artifact version, by name then version (LineaPy's ``.artifacts``)."""
        return list(self)

    @property
    def len(self) -> int:
        """How many artifact versions there are (LineaPy's ``.len``; ``len(store)`` too)."""
        return len(self._records)

    @property
    def print(self) -> str:
        """The listing as text, one ``name:version created on <time>`` line per version.

        A property returning the text, as in LineaPy (``store.print``, not a call).
        """
        return "\n".join(
            f"{record.name}:{record.version} created on {local_naive(record.date_created)}"
            for record in self._records
        )

    def __iter__(self) -> Iterator[LineaArtifact]:
        return (LineaArtifact(record, self._store) for record in self._records)

    def __len__(self) -> int:
        return len(self._records)

    def __str__(self) -> str:
        return self.print

    def __repr__(self) -> str:
        return self.print
