"""TagQueries contract: every tag some article carries, most used first, then by name."""

from tests.contract.conftest import Storage
from tests.contract.stored import a_stored_article, a_stored_user


async def test_tags_come_most_used_first_then_by_name(storage: Storage) -> None:
    jake = await a_stored_user(storage, "jake")
    await a_stored_article(storage, jake, title="A", tags=["zebras", "dragons", "b-side"])
    await a_stored_article(storage, jake, title="B", tags=["dragons", "apes", "b_side"])
    await a_stored_article(storage, jake, title="C", tags=["dragons", "zebras", "bside"])
    assert await storage.tags.tags() == ["dragons", "zebras", "apes", "b-side", "b_side", "bside"]


async def test_no_articles_no_tags(storage: Storage) -> None:
    await a_stored_user(storage, "jake")
    assert await storage.tags.tags() == []


async def test_a_tag_no_article_carries_any_more_is_not_listed(storage: Storage) -> None:
    jake = await a_stored_user(storage, "jake")
    removed = await a_stored_article(storage, jake, title="Removed", tags=["gone", "kept"])
    edited = await a_stored_article(storage, jake, title="Edited", tags=["dropped", "kept"])
    async with storage.uow() as uow:
        loaded = await uow.articles.by_slug(removed.slug)
        assert loaded is not None
        await uow.articles.remove(loaded)
        changed = await uow.articles.by_slug(edited.slug)
        assert changed is not None
        changed.edit(by=jake.id, is_admin=False, now=changed.updated_at, tags=["kept", "new"])
        await uow.articles.save(changed)
        await uow.commit()
    assert await storage.tags.tags() == ["kept", "new"]
    await a_stored_article(storage, jake, title="Back", tags=["gone"])
    assert await storage.tags.tags() == ["gone", "kept", "new"]
