"""Where finished data exports are kept until they expire."""

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.ids import JobId


@dataclass(frozen=True, slots=True)
class ExportDocument:
    size: int  # bytes
    chunks: AsyncIterator[bytes]


class ExportStore(Protocol):
    async def write(self, export_id: JobId, chunks: AsyncIterable[str]) -> None:
        """Store the document; it becomes visible whole or not at all. Writing it again replaces it."""
        ...

    async def open(self, export_id: JobId) -> ExportDocument | None: ...

    async def purge(self, *, written_before: datetime) -> int:
        """Delete the documents written before the given instant; return how many."""
        ...
