"""Every tag in use."""

from application.ports.queries import TagQueries


class ListTags:
    def __init__(self, *, tags: TagQueries) -> None:
        self._tags = tags

    async def __call__(self) -> list[str]:
        return await self._tags.tags()
