"""AuditLog and AuditQueries contract: entries are kept with their change, exactly as recorded, and read
back newest first by action, actor and target."""

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest

from application.ports.queries import AuditFilter
from application.tracing import current_client_address, current_request_id
from application.views import AuditEntryView
from domain.audit import AuditAction, AuditEvent
from domain.errors import Conflict
from domain.ids import UserId, new_user_id
from domain.paging import Page
from domain.users import Role
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_user

BOSS, JAKE = new_user_id(), new_user_id()


@pytest.fixture
def serving() -> Iterator[None]:
    address, request = current_client_address.set("2001:db8::7"), current_request_id.set("req-42")
    yield
    current_client_address.reset(address)
    current_request_id.reset(request)


def an_event(action: AuditAction = AuditAction.ROLE_CHANGED, *, actor_id: UserId | None = BOSS,
             target_id: UserId | None = JAKE, target: str | None = "jake") -> AuditEvent:
    return AuditEvent(action=action, actor_id=actor_id, target_id=target_id, target=target)


async def _recorded(storage: Storage, *events: AuditEvent, seconds: float = 0) -> None:
    storage.clock.advance(timedelta(seconds=seconds))
    async with storage.uow() as uow:
        for event in events:
            await uow.audit.add(event)
        await uow.commit()


async def _entries(storage: Storage, criteria: AuditFilter | None = None) -> list[AuditEntryView]:
    return (await storage.audit_entries.entries(criteria or AuditFilter(), Page())).entries


async def test_an_entry_reads_back_as_it_was_recorded(storage: Storage, serving: None) -> None:
    event = AuditEvent(action=AuditAction.ROLE_CHANGED, actor_id=BOSS, target_id=JAKE, target="Jake",
                       details={"from": "user", "to": "admin"})
    await _recorded(storage, event)
    [entry] = await _entries(storage)
    assert (entry.at, entry.action, entry.actor_id, entry.target_id, entry.target, entry.details) == (
        CREATED, AuditAction.ROLE_CHANGED, BOSS, JAKE, "Jake", {"from": "user", "to": "admin"}
    )
    assert (entry.client_address, entry.request_id) == ("2001:db8::7", "req-42")
    assert isinstance(entry.id, int)


async def test_outside_a_request_there_is_no_client_or_request(storage: Storage) -> None:
    await _recorded(storage, an_event(AuditAction.SESSIONS_REVOKED, actor_id=None, target=None))
    [entry] = await _entries(storage)
    assert (entry.actor_id, entry.target, entry.client_address, entry.request_id, entry.details) == (
        None, None, None, None, {}
    )


async def test_an_entry_is_kept_only_if_its_transaction_commits(storage: Storage) -> None:
    jake = a_user(role=Role.ADMIN)
    async with storage.uow() as uow:
        await uow.users.add(jake)
        await uow.audit.add(an_event())
    assert await _entries(storage) == []
    async with storage.uow() as uow:
        await uow.users.add(jake)
        await uow.audit.add(an_event())
        await uow.commit()
    assert len(await _entries(storage)) == 1
    async with storage.uow() as uow:
        assert await uow.users.get(jake.id) is not None


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def audit_lines() -> Iterator[list[logging.LogRecord]]:
    """What the `inkwell.audit` logger is given, whatever the logging set-up of the tests run before."""
    logger, kept = logging.getLogger("inkwell.audit"), _Kept()
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(kept)
    yield kept.records
    logger.removeHandler(kept)
    logger.setLevel(level)


async def test_an_entry_is_logged_once_its_transaction_commits_and_never_if_it_does_not(
    storage: Storage, serving: None, audit_lines: list[logging.LogRecord]
) -> None:
    jake = a_user()
    async with storage.uow() as uow:
        await uow.audit.add(an_event(AuditAction.USER_DEACTIVATED))  # left without a commit
    with pytest.raises(Conflict):
        async with storage.uow() as uow:
            await uow.audit.add(an_event(AuditAction.USER_ACTIVATED))
            await uow.users.add(jake)
            await uow.users.add(a_user(email=jake.email.value))  # at once, or when committing
            await uow.commit()
    assert audit_lines == []
    async with storage.uow() as uow:
        await uow.audit.add(an_event(AuditAction.ROLE_CHANGED))
        assert audit_lines == []  # not before the commit
        await uow.commit()
    [line] = audit_lines
    assert (line.getMessage(), line.levelno) == ("role_changed", logging.INFO)
    assert {name: vars(line)[name] for name in ("action", "actor_id", "target_id", "target", "client_address",
                                                "request_id")} == {
        "action": "role_changed", "actor_id": str(BOSS), "target_id": str(JAKE), "target": "jake",
        "client_address": "2001:db8::7", "request_id": "req-42",
    }


async def test_newest_first_and_in_one_instant_the_later_entry_first(storage: Storage) -> None:
    await _recorded(storage, an_event(AuditAction.LOGIN_SUCCEEDED))
    await _recorded(storage, an_event(AuditAction.ROLE_CHANGED), an_event(AuditAction.USER_DEACTIVATED), seconds=1)
    await _recorded(storage, an_event(AuditAction.SESSIONS_REVOKED), seconds=0.000_001)
    entries = await _entries(storage)
    assert [entry.action for entry in entries] == [
        AuditAction.SESSIONS_REVOKED, AuditAction.USER_DEACTIVATED, AuditAction.ROLE_CHANGED,
        AuditAction.LOGIN_SUCCEEDED,
    ]
    assert entries[0].at == CREATED + timedelta(seconds=1, microseconds=1)
    assert entries[1].id > entries[2].id


async def test_pages_and_their_total(storage: Storage) -> None:
    for n in range(5):
        await _recorded(storage, an_event(target=f"user{n}"), seconds=1)
    page = await storage.audit_entries.entries(AuditFilter(), Page(limit=2, offset=1))
    assert ([entry.target for entry in page.entries], page.total) == (["user3", "user2"], 5)
    beyond = await storage.audit_entries.entries(AuditFilter(), Page(limit=2, offset=5))
    assert (beyond.entries, beyond.total) == ([], 5)


async def test_each_criterion_narrows_the_log_and_they_combine(storage: Storage) -> None:
    other = new_user_id()
    await _recorded(
        storage,
        an_event(AuditAction.LOGIN_FAILED, actor_id=None, target_id=None, target="Nobody@Example.com"),
        an_event(AuditAction.LOGIN_SUCCEEDED, actor_id=JAKE, target_id=JAKE, target="jake"),
        an_event(AuditAction.ROLE_CHANGED, actor_id=BOSS, target_id=JAKE, target="jake"),
        an_event(AuditAction.ARTICLE_REMOVED, actor_id=BOSS, target_id=other, target="a-slug"),
    )

    async def actions(criteria: AuditFilter) -> list[AuditAction]:
        page = await storage.audit_entries.entries(criteria, Page())
        assert page.total == len(page.entries)
        return [entry.action for entry in page.entries]

    assert await actions(AuditFilter(action=AuditAction.LOGIN_FAILED)) == [AuditAction.LOGIN_FAILED]
    assert await actions(AuditFilter(actor_id=BOSS)) == [AuditAction.ARTICLE_REMOVED, AuditAction.ROLE_CHANGED]
    assert await actions(AuditFilter(target_id=JAKE)) == [AuditAction.ROLE_CHANGED, AuditAction.LOGIN_SUCCEEDED]
    assert await actions(AuditFilter(target="a-slug")) == [AuditAction.ARTICLE_REMOVED]
    assert await actions(AuditFilter(target="Nobody@Example.com")) == [AuditAction.LOGIN_FAILED]
    assert await actions(AuditFilter(target="nobody@example.com")) == []  # as typed, exactly
    assert await actions(AuditFilter(actor_id=BOSS, target_id=JAKE)) == [AuditAction.ROLE_CHANGED]
    assert await actions(AuditFilter(action=AuditAction.ROLE_CHANGED, actor_id=JAKE)) == []


async def test_text_that_came_from_a_client_is_stored_harmless(storage: Storage) -> None:
    await _recorded(storage, an_event(AuditAction.LOGIN_FAILED, target="evil\x00\r\nadmin" + "x" * 300))
    [entry] = await _entries(storage)
    assert entry.target is not None and len(entry.target) == 200
    assert entry.target.startswith("evil" + "\N{REPLACEMENT CHARACTER}" * 3 + "admin")
