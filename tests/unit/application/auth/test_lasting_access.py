"""Lasting access tokens, for clients that never refresh (RealWorld frontends): they live days, not minutes,
never past their session's end, and whatever ends the session ends them at once."""

from datetime import timedelta

import pytest

from application.actor import SYSTEM
from application.errors import InvalidToken, TokenReused
from application.sessions import AccessTerm, SessionIssuer
from application.use_cases.auth.register import SignedIn
from application.use_cases.users.update_user import AccountChanges
from domain.errors import InvalidValue
from domain.sessions import SessionPolicy, TokenClaims, TokenKind
from tests.builders import PASSWORD, App, a_user, an_actor, days, mailed_token, minutes, settings_for_tests
from tests.unit.application.admin.support import change_access, revoke_sessions

EMAIL = "jake@example.com"
NEW_PASSWORD = "a brand new secret"


def claims(app: App, token: str) -> TokenClaims:
    return app.codec.decode(token, kind=TokenKind.ACCESS)


async def refused(app: App, token: str) -> None:
    with pytest.raises(InvalidToken):
        await an_actor(app, token)


async def a_frontend(app: App) -> SignedIn:
    """Jake signed in as a RealWorld frontend does, and a day later, long after a short token would have expired."""
    signed_in = await app.log_in()(email=EMAIL, password=PASSWORD, access=AccessTerm.LASTING)
    app.clock.advance(days(1))
    assert (await an_actor(app, signed_in.tokens.access_token)).user_id == signed_in.account.user_id
    return signed_in


async def test_a_lasting_access_token_lives_seven_days_by_default(app: App, jake: SignedIn) -> None:
    signed_in = await app.log_in()(email=EMAIL, password=PASSWORD, access=AccessTerm.LASTING)
    access = claims(app, signed_in.tokens.access_token)
    assert access.expires_at - access.issued_at == days(7)
    assert signed_in.tokens.expires_in == days(7).total_seconds()
    refresh = app.codec.decode(signed_in.tokens.refresh_token, kind=TokenKind.REFRESH)
    assert refresh.expires_at - refresh.issued_at == days(7)  # the refresh token is as it always was


async def test_registration_may_hand_out_a_lasting_token_too(app: App) -> None:
    signed_in = await app.register()(email=EMAIL, username="jake", password=PASSWORD, access=AccessTerm.LASTING)
    access = claims(app, signed_in.tokens.access_token)
    assert access.expires_at - access.issued_at == days(7)


async def test_short_access_tokens_stay_the_default(app: App, jake: SignedIn) -> None:
    signed_in = await app.log_in()(email=EMAIL, password=PASSWORD)
    for tokens in (jake.tokens, signed_in.tokens):
        access = claims(app, tokens.access_token)
        assert access.expires_at - access.issued_at == minutes(15)


async def test_the_lifetime_comes_from_the_settings() -> None:
    app = App(settings=settings_for_tests(realworld_token_ttl_seconds=3600))
    await a_user(app)
    signed_in = await app.log_in()(email=EMAIL, password=PASSWORD, access=AccessTerm.LASTING)
    access = claims(app, signed_in.tokens.access_token)
    assert access.expires_at - access.issued_at == timedelta(hours=1)


async def test_it_never_outlives_its_session() -> None:
    app = App(policy=SessionPolicy(refresh_ttl=days(1), max_session_age=days(3)))
    await a_user(app)
    signed_in = await app.log_in()(email=EMAIL, password=PASSWORD, access=AccessTerm.LASTING)
    access = claims(app, signed_in.tokens.access_token)
    assert access.expires_at == access.session_ends_at == access.issued_at + days(3)


async def test_it_works_until_it_expires_without_any_refresh(app: App, jake: SignedIn) -> None:
    signed_in = await app.log_in()(email=EMAIL, password=PASSWORD, access=AccessTerm.LASTING)
    app.clock.advance(days(7) - timedelta(seconds=1))
    assert (await an_actor(app, signed_in.tokens.access_token)).user_id == jake.account.user_id
    app.clock.advance(timedelta(minutes=1, seconds=1))
    await refused(app, signed_in.tokens.access_token)


async def test_refreshing_a_session_opened_so_gives_short_access_tokens(app: App, jake: SignedIn) -> None:
    signed_in = await app.log_in()(email=EMAIL, password=PASSWORD, access=AccessTerm.LASTING)
    rotated = await app.refresh()(refresh_token=signed_in.tokens.refresh_token)
    access = claims(app, rotated.access_token)
    assert access.expires_at - access.issued_at == minutes(15) and rotated.expires_in == 900


async def test_log_out_ends_it(app: App, jake: SignedIn) -> None:
    frontend = await a_frontend(app)
    await app.log_out()(await an_actor(app, frontend.tokens.access_token))
    await refused(app, frontend.tokens.access_token)


async def test_log_out_with_another_token_of_its_session_ends_it(app: App, jake: SignedIn) -> None:
    frontend = await a_frontend(app)
    rotated = await app.refresh()(refresh_token=frontend.tokens.refresh_token)
    await app.log_out()(await an_actor(app, rotated.access_token))
    await refused(app, frontend.tokens.access_token)


async def test_log_out_everywhere_from_another_session_ends_it(app: App, jake: SignedIn) -> None:
    frontend = await a_frontend(app)
    laptop = await app.log_in()(email=EMAIL, password=PASSWORD)
    await app.log_out_everywhere()(await an_actor(app, laptop.tokens.access_token))
    await refused(app, frontend.tokens.access_token)


async def test_a_password_change_elsewhere_ends_it(app: App, jake: SignedIn) -> None:
    frontend = await a_frontend(app)
    laptop = await app.log_in()(email=EMAIL, password=PASSWORD)
    await app.update_user()(await an_actor(app, laptop.tokens.access_token), AccountChanges(password=NEW_PASSWORD))
    await refused(app, frontend.tokens.access_token)
    assert (await an_actor(app, laptop.tokens.access_token)).user_id == jake.account.user_id


async def test_a_password_reset_ends_it(app: App, jake: SignedIn) -> None:
    frontend = await a_frontend(app)
    await app.container.forgot_password()(email=EMAIL)
    await app.run_jobs()
    await app.container.reset_password()(token=mailed_token(app, "reset_password"), password=NEW_PASSWORD)
    await refused(app, frontend.tokens.access_token)


async def test_deactivation_ends_it(app: App, jake: SignedIn) -> None:
    frontend = await a_frontend(app)
    await change_access(app)(SYSTEM, username="jake", active=False)
    await refused(app, frontend.tokens.access_token)


async def test_an_administrators_revocation_ends_it(app: App, jake: SignedIn) -> None:
    frontend = await a_frontend(app)
    await revoke_sessions(app)(SYSTEM, username="jake")
    await refused(app, frontend.tokens.access_token)


async def test_reuse_of_a_spent_refresh_token_ends_it(app: App, jake: SignedIn) -> None:
    frontend = await a_frontend(app)
    await app.refresh()(refresh_token=frontend.tokens.refresh_token)
    with pytest.raises(TokenReused):
        await app.refresh()(refresh_token=frontend.tokens.refresh_token)
    await refused(app, frontend.tokens.access_token)


async def test_a_non_positive_lifetime_is_refused(app: App) -> None:
    for lifetime in (timedelta(0), timedelta(seconds=-1)):
        with pytest.raises(InvalidValue):
            SessionIssuer(codec=app.codec, store=app.store, clock=app.clock, policy=SessionPolicy(),
                          lasting_access_ttl=lifetime)
