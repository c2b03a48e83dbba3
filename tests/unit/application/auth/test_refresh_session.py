"""RefreshSession: rotation, reuse detection that ends the family, and the session's absolute lifetime."""

import asyncio
import logging
from datetime import timedelta

import pytest

from application.errors import InvalidToken, TokenReused
from application.sessions import TokenPair
from application.use_cases.auth.register import SignedIn
from application.use_cases.users.update_user import AccountChanges
from domain.sessions import TokenKind
from tests.builders import PASSWORD, App, a_user, an_actor, change_user, days, forget_user, minutes


async def refresh(app: App, tokens: TokenPair) -> TokenPair:
    return await app.refresh()(refresh_token=tokens.refresh_token)


async def refused(app: App, tokens: TokenPair) -> InvalidToken:
    with pytest.raises(InvalidToken) as raised:
        await refresh(app, tokens)
    return raised.value


async def test_returns_a_new_working_pair(app: App, jake: SignedIn) -> None:
    rotated = await refresh(app, jake.tokens)
    assert rotated.refresh_token != jake.tokens.refresh_token
    assert rotated.access_token != jake.tokens.access_token
    assert rotated.expires_in == 15 * 60
    actor = await an_actor(app, rotated.access_token)
    assert actor.user_id == jake.account.user_id
    assert actor.access.session_id == (await an_actor(app, jake.tokens.access_token)).access.session_id


async def test_rotation_can_go_on(app: App, jake: SignedIn) -> None:
    tokens = jake.tokens
    for _ in range(5):
        app.clock.advance(minutes(10))
        tokens = await refresh(app, tokens)
    assert (await an_actor(app, tokens.access_token)).user_id == jake.account.user_id


async def test_a_spent_refresh_token_is_reuse(app: App, jake: SignedIn) -> None:
    await refresh(app, jake.tokens)
    assert isinstance(await refused(app, jake.tokens), TokenReused)


async def test_reuse_ends_the_whole_family(app: App, jake: SignedIn) -> None:
    second = await refresh(app, jake.tokens)
    newest = await refresh(app, second)
    await refused(app, jake.tokens)
    error = await refused(app, newest)
    assert not isinstance(error, TokenReused)
    for tokens in (jake.tokens, second, newest):
        with pytest.raises(InvalidToken):
            await an_actor(app, tokens.access_token)


async def test_of_two_concurrent_refreshes_of_one_token_one_wins_and_the_other_is_reuse(
    app: App, jake: SignedIn
) -> None:
    outcomes = await asyncio.gather(refresh(app, jake.tokens), refresh(app, jake.tokens), return_exceptions=True)
    winners = [outcome for outcome in outcomes if isinstance(outcome, TokenPair)]
    assert len(winners) == 1
    assert [type(outcome) for outcome in outcomes if not isinstance(outcome, TokenPair)] == [TokenReused]
    await refused(app, winners[0])


async def test_reuse_spares_other_sessions(app: App, jake: SignedIn) -> None:
    other = await app.log_in()(email="jake@example.com", password=PASSWORD)
    await refresh(app, jake.tokens)
    await refused(app, jake.tokens)
    assert (await refresh(app, other.tokens)).access_token


async def test_reuse_is_logged_as_a_security_event(
    app: App, jake: SignedIn, caplog: pytest.LogCaptureFixture
) -> None:
    await refresh(app, jake.tokens)
    with caplog.at_level(logging.WARNING, logger="inkwell"):
        await refused(app, jake.tokens)
    [record] = caplog.records
    assert (record.name, record.getMessage(), record.target_id) == (  # type: ignore[attr-defined]
        "inkwell.audit", "refresh_reused", str(jake.account.user_id)
    )
    assert jake.tokens.refresh_token not in caplog.text


async def test_an_access_token_is_not_a_refresh_token(app: App, jake: SignedIn) -> None:
    with pytest.raises(InvalidToken):
        await app.refresh()(refresh_token=jake.tokens.access_token)


async def test_garbage_is_refused(app: App) -> None:
    with pytest.raises(InvalidToken):
        await app.refresh()(refresh_token="not.a.token")


async def test_fails_after_log_out(app: App, jake: SignedIn) -> None:
    await app.log_out()(await an_actor(app, jake.tokens.access_token))
    await refused(app, jake.tokens)


async def test_fails_after_log_out_everywhere(app: App, jake: SignedIn) -> None:
    other = await app.log_in()(email="jake@example.com", password=PASSWORD)
    await app.log_out_everywhere()(await an_actor(app, other.tokens.access_token))
    await refused(app, jake.tokens)
    await refused(app, other.tokens)


async def test_fails_after_a_password_change_in_another_session(app: App, jake: SignedIn) -> None:
    other = await app.log_in()(email="jake@example.com", password=PASSWORD)
    app.clock.advance(timedelta(seconds=5))
    actor = await an_actor(app, other.tokens.access_token)
    await app.update_user()(actor, AccountChanges(password="a brand new secret"))
    await refused(app, jake.tokens)
    assert (await refresh(app, other.tokens)).access_token


async def test_a_deactivated_user_cannot_refresh(app: App, jake: SignedIn) -> None:
    await change_user(app, jake.account.user_id, lambda user: user.deactivate(now=app.clock.now()))
    await refused(app, jake.tokens)


async def test_a_deleted_user_cannot_refresh(app: App, jake: SignedIn) -> None:
    forget_user(app, jake.account.user_id)
    await refused(app, jake.tokens)


async def test_a_refresh_token_unused_past_its_lifetime_fails(app: App, jake: SignedIn) -> None:
    app.clock.advance(days(7) + minutes(1))
    await refused(app, jake.tokens)


async def test_the_session_ends_at_its_absolute_lifetime_however_often_it_rotates(app: App) -> None:
    signed_in = await a_user(app)
    tokens = signed_in.tokens
    for _ in range(4):
        app.clock.advance(days(6))
        tokens = await refresh(app, tokens)
    app.clock.advance(days(6) - timedelta(seconds=1))  # one second before day 30
    tokens = await refresh(app, tokens)
    assert tokens.expires_in == 1
    app.clock.advance(timedelta(seconds=2))
    await refused(app, tokens)
    with pytest.raises(InvalidToken):
        await an_actor(app, tokens.access_token)


async def test_near_the_session_end_tokens_live_only_until_it(app: App) -> None:
    started = app.clock.now()
    tokens = (await a_user(app)).tokens
    for _ in range(4):
        app.clock.advance(days(6))
        tokens = await refresh(app, tokens)
    app.clock.advance(days(6) - minutes(10))
    tokens = await refresh(app, tokens)
    assert tokens.expires_in == 10 * 60
    claims = app.codec.decode(tokens.refresh_token, kind=TokenKind.REFRESH)
    assert claims.expires_at == claims.session_ends_at == started + days(30)
