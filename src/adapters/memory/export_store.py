"""In-memory export store, dated by the injected clock."""

from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime

from application.ports.clock import Clock
from application.ports.exports import ExportDocument, ExportStore
from domain.ids import JobId


class MemoryExportStore(ExportStore):
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.documents: dict[JobId, tuple[datetime, bytes]] = {}

    async def write(self, export_id: JobId, chunks: AsyncIterable[str]) -> None:
        parts = [chunk async for chunk in chunks]  # stored only once complete
        self.documents[export_id] = (self._clock.now(), "".join(parts).encode())

    async def open(self, export_id: JobId) -> ExportDocument | None:
        stored = self.documents.get(export_id)
        if stored is None:
            return None
        content = stored[1]

        async def chunks() -> AsyncIterator[bytes]:
            yield content

        return ExportDocument(size=len(content), chunks=chunks())

    async def purge(self, *, written_before: datetime) -> int:
        expired = [key for key, (written, _) in self.documents.items() if written < written_before]
        for key in expired:
            del self.documents[key]
        return len(expired)
