"""Each security and administrative event leaves one audit entry, with who, to whom, from which client
and request; never a password or a token; and nothing when the change it records did not happen."""

import logging
from collections.abc import Iterator

import pytest

from adapters.memory.database import MemoryUnitOfWork
from application.actor import Actor
from application.errors import DependencyUnavailable, InvalidCredentials, TokenReused
from application.tracing import current_client_address, current_request_id
from application.use_cases.auth.register import SignedIn
from application.use_cases.users.update_user import AccountChanges
from application.views import AuditEntryView
from domain.audit import AuditAction
from domain.errors import Conflict, Forbidden
from tests.builders import PASSWORD, App, a_user, an_actor, an_article, mailed_token
from tests.unit.application.admin.support import audited

ADDRESS, REQUEST = "203.0.113.7", "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def serving() -> Iterator[None]:
    """As the HTTP layer does for each request."""
    address, request = current_client_address.set(ADDRESS), current_request_id.set(REQUEST)
    yield
    current_client_address.reset(address)
    current_request_id.reset(request)


async def only(app: App, action: AuditAction) -> AuditEntryView:
    [entry] = await audited(app, action)
    assert (entry.client_address, entry.request_id, entry.at) == (ADDRESS, REQUEST, app.clock.now())
    return entry


def secrets_of(*signed_in: SignedIn) -> list[str]:
    return [PASSWORD] + [token for s in signed_in for token in (s.tokens.access_token, s.tokens.refresh_token)]


async def no_secret_anywhere(app: App, secrets: list[str]) -> None:
    shown = repr(await audited(app))
    assert not [secret for secret in secrets if secret in shown]


async def test_a_log_in(app: App, jake: SignedIn) -> None:
    signed_in = await app.log_in()(email="jake@example.com", password=PASSWORD)
    entry = await only(app, AuditAction.LOGIN_SUCCEEDED)
    user_id = jake.account.user_id
    assert (entry.actor_id, entry.target_id, entry.target) == (user_id, user_id, "jake")
    await no_secret_anywhere(app, secrets_of(jake, signed_in))


@pytest.mark.parametrize(("email", "password", "known"), [
    ("Jake@Example.com", "not the password", True),
    ("nobody@example.com", PASSWORD, False),
    ("not an address", PASSWORD, False),
])
async def test_a_failed_log_in_names_the_address_as_typed(
    app: App, jake: SignedIn, email: str, password: str, known: bool
) -> None:
    with pytest.raises(InvalidCredentials):
        await app.log_in()(email=email, password=password)
    entry = await only(app, AuditAction.LOGIN_FAILED)
    assert (entry.actor_id, entry.target, entry.target_id) == (None, email, jake.account.user_id if known else None)
    await no_secret_anywhere(app, [*secrets_of(jake), "not the password"])


async def test_a_long_address_is_cut_short(app: App) -> None:
    typed = "x" * 300 + "@example.com"
    with pytest.raises(InvalidCredentials):
        await app.log_in()(email=typed, password=PASSWORD)
    assert (await only(app, AuditAction.LOGIN_FAILED)).target == typed[:200]


async def test_a_refresh_token_presented_twice(app: App, jake: SignedIn) -> None:
    session_id = (await an_actor(app, jake.tokens.access_token)).access.session_id
    await app.refresh()(refresh_token=jake.tokens.refresh_token)
    with pytest.raises(TokenReused):
        await app.refresh()(refresh_token=jake.tokens.refresh_token)
    entry = await only(app, AuditAction.REFRESH_REUSED)
    assert (entry.actor_id, entry.target_id) == (None, jake.account.user_id)
    assert entry.details == {"session": str(session_id)}
    await no_secret_anywhere(app, secrets_of(jake))


async def test_a_log_out(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.log_out()(actor)
    entry = await only(app, AuditAction.LOGGED_OUT)
    assert (entry.actor_id, entry.target_id) == (actor.user_id, actor.user_id)
    assert entry.details == {"session": str(actor.access.session_id)}


async def test_a_log_out_everywhere(app: App, jake: SignedIn) -> None:
    await app.log_out_everywhere()(await an_actor(app, jake.tokens.access_token))
    entry = await only(app, AuditAction.LOGGED_OUT_EVERYWHERE)
    assert (entry.actor_id, entry.target_id, entry.target) == (jake.account.user_id, jake.account.user_id, "jake")


async def test_a_password_change(app: App, jake: SignedIn) -> None:
    new_password = "a brand new secret"
    await app.update_user()(await an_actor(app, jake.tokens.access_token), AccountChanges(password=new_password))
    entry = await only(app, AuditAction.PASSWORD_CHANGED)
    assert (entry.actor_id, entry.target_id, entry.target) == (jake.account.user_id, jake.account.user_id, "jake")
    await no_secret_anywhere(app, [*secrets_of(jake), new_password])


async def test_other_changes_to_an_account_are_not_security_events(app: App, jake: SignedIn) -> None:
    await app.update_user()(await an_actor(app, jake.tokens.access_token), AccountChanges(bio="hello"))
    assert await audited(app) == []


async def test_a_password_change_that_did_not_happen_is_not_recorded(app: App, jake: SignedIn) -> None:
    await a_user(app, email="jane@example.com", username="jane")
    with pytest.raises(Conflict):
        await app.update_user()(
            await an_actor(app, jake.tokens.access_token), AccountChanges(username="jane", password="a new secret!")
        )
    assert await audited(app, AuditAction.PASSWORD_CHANGED) == []


async def test_a_password_reset(app: App, jake: SignedIn) -> None:
    await app.container.forgot_password()(email="jake@example.com")
    await app.run_jobs()
    token = mailed_token(app, "reset_password")
    await app.container.reset_password()(token=token, password="a brand new secret")
    entry = await only(app, AuditAction.PASSWORD_RESET)
    assert (entry.actor_id, entry.target_id, entry.target) == (None, jake.account.user_id, "jake")
    await no_secret_anywhere(app, [*secrets_of(jake), token, "a brand new secret"])


async def test_an_admin_removing_an_article(app: App, ann: Actor, boss: Actor) -> None:
    article = await an_article(app, ann, title="Spam & eggs")
    await app.delete_article()(boss, slug=article.slug)
    entry = await only(app, AuditAction.ARTICLE_REMOVED)
    assert (entry.actor_id, entry.target_id, entry.target) == (boss.user_id, ann.user_id, article.slug)
    assert entry.details == {"title": "Spam & eggs"}


async def test_an_admin_removing_a_comment(app: App, ann: Actor, rob: Actor, boss: Actor) -> None:
    article = await an_article(app, ann)
    comment = await app.add_comment()(rob, slug=article.slug, body="Buy cheap watches")
    await app.delete_comment()(boss, slug=article.slug, comment_id=comment.id)
    entry = await only(app, AuditAction.COMMENT_REMOVED)
    assert (entry.actor_id, entry.target_id, entry.target) == (boss.user_id, rob.user_id, article.slug)
    assert entry.details == {"comment": str(comment.id)}


async def test_authors_removing_their_own_content_is_not_an_admin_event(app: App, ann: Actor, boss: Actor) -> None:
    mine = await an_article(app, boss, title="Mine")
    comment = await app.add_comment()(ann, slug=mine.slug, body="Nice")
    await app.delete_comment()(ann, slug=mine.slug, comment_id=comment.id)
    await app.delete_article()(boss, slug=mine.slug)
    assert await audited(app) == []


async def test_a_refused_removal_is_not_recorded(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    with pytest.raises(Forbidden):
        await app.delete_article()(rob, slug=article.slug)
    assert await audited(app) == []


class DatabaseGoneAfterReading(MemoryUnitOfWork):
    """Reads work; every commit fails as the SQL unit of work's do when the database is down."""

    async def commit(self) -> None:
        raise DependencyUnavailable("database")


async def test_a_log_in_succeeds_when_only_its_audit_entry_cannot_be_written(
    app: App, jake: SignedIn, caplog: pytest.LogCaptureFixture
) -> None:
    log_in = app.container.log_in(uow=DatabaseGoneAfterReading(app.db, app.clock))
    with caplog.at_level(logging.WARNING, logger="inkwell.audit"):
        signed_in = await log_in(email="jake@example.com", password=PASSWORD)
    assert (await an_actor(app, signed_in.tokens.access_token)).user_id == jake.account.user_id
    assert await audited(app) == []
    [record] = [r for r in caplog.records if r.message == "audit_not_recorded"]
    assert (record.action, record.target_id) == ("login_succeeded", str(jake.account.user_id))  # type: ignore[attr-defined]
