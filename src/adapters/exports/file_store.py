"""Exports kept as files in one directory: `<job id>.json`, written under a temporary name and renamed."""

import asyncio
import os
import secrets
from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime
from pathlib import Path

from application.ports.exports import ExportDocument, ExportStore
from domain.ids import JobId

CHUNK_BYTES = 64 * 1024


class FileExportStore(ExportStore):
    """The directory must be shared by the API processes (which serve downloads) and the workers (which
    write), e.g. a mounted volume when they run on different machines. Blocking file calls run in a
    thread; an export is written in a batch of chunks per call, not a call per chunk."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    async def write(self, export_id: JobId, chunks: AsyncIterable[str]) -> None:
        await asyncio.to_thread(self._directory.mkdir, parents=True, exist_ok=True)
        draft = self._directory / f".{export_id}.{secrets.token_hex(4)}.part"
        file = await asyncio.to_thread(draft.open, "w", encoding="utf-8")
        try:
            pending: list[str] = []
            async for chunk in chunks:
                pending.append(chunk)
                if sum(map(len, pending)) >= CHUNK_BYTES:
                    await asyncio.to_thread(file.write, "".join(pending))
                    pending.clear()
            await asyncio.to_thread(file.write, "".join(pending))
            await asyncio.to_thread(file.close)
            await asyncio.to_thread(os.replace, draft, self._path(export_id))
        except BaseException:
            file.close()
            draft.unlink(missing_ok=True)
            raise

    async def open(self, export_id: JobId) -> ExportDocument | None:
        path = self._path(export_id)
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            return None
        size = os.fstat(file.fileno()).st_size

        async def chunks() -> AsyncIterator[bytes]:
            try:
                while block := await asyncio.to_thread(file.read, CHUNK_BYTES):
                    yield block
            finally:
                file.close()

        return ExportDocument(size=size, chunks=chunks())

    async def purge(self, *, written_before: datetime) -> int:
        return await asyncio.to_thread(self._purge, written_before.timestamp())

    def _purge(self, cutoff: float) -> int:
        removed = 0
        for path in self._directory.glob("*.json") if self._directory.exists() else ():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # purged by another process meanwhile
                continue
        # Drafts left by a worker that died while writing.
        for draft in self._directory.glob(".*.part") if self._directory.exists() else ():
            try:
                if draft.stat().st_mtime < cutoff:
                    draft.unlink()
            except FileNotFoundError:
                continue
        return removed

    def _path(self, export_id: JobId) -> Path:
        return self._directory / f"{export_id}.json"


