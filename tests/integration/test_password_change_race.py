"""A log-in with the old password racing a password change never yields a session that outlives the change.

The log-in reads the account, spends a bcrypt verification, then opens its session; the change may
commit anywhere in between. Whatever the interleaving, a session opened from the old credentials
must be refused by authentication and by refresh once the change has committed.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from adapters.rate_limiter import LimitsRateLimiter, memory_limits_storage
from adapters.security.bcrypt_hasher import BcryptPasswordHasher
from adapters.sql.queries.principals import SqlPrincipalQueries
from adapters.sql.reader import SqlReader
from adapters.sql.token_store import SqlTokenStore
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from adapters.tokens.jwt_codec import JwtCodec
from application.actor import Actor
from application.errors import InvalidCredentials, InvalidToken
from application.rate_limits import RateLimits
from application.sessions import SessionIssuer
from application.use_cases.auth.authenticate import Authenticate
from application.use_cases.auth.log_in import LogIn
from application.use_cases.auth.refresh_session import RefreshSession
from application.use_cases.auth.register import RegisterUser, SignedIn
from application.use_cases.users.update_user import AccountChanges, UpdateUser
from domain.passwords import PasswordPolicy
from domain.sessions import SessionPolicy
from tests.integration.conftest import SessionFactory

OLD, NEW = "correct horse battery", "staple battery horse"
EMAIL = "jake@example.com"


class PausingHasher(BcryptPasswordHasher):
    """Real bcrypt, whose verifications wait for `release` before answering: the change commits while
    a log-in that already read the old credentials is still checking them."""

    def __init__(self, *, pepper: str) -> None:
        super().__init__(pepper=pepper, rounds=4, max_waiting=64)  # every racing log-in gets a turn
        self.verifying = asyncio.Event()
        self.release = asyncio.Event()
        self.pausing = False

    async def verify(self, plain: str, hashed: str | None) -> bool:
        matches = await super().verify(plain, hashed)
        if self.pausing:
            self.verifying.set()
            await self.release.wait()
        return matches


@dataclass
class Accounts:
    """Use cases that write take a unit of work of their own per call, as each request does."""

    hasher: PausingHasher
    register: Callable[[], RegisterUser]
    log_in: Callable[[], LogIn]
    update_user: Callable[[], UpdateUser]
    authenticate: Authenticate
    refresh: RefreshSession


@pytest.fixture
async def accounts(factory: SessionFactory, reader: SqlReader) -> AsyncIterator[Accounts]:
    clock = SystemClock()
    codec = JwtCodec(secret="s" * 48, issuer="inkwell", clock=clock)
    store = SqlTokenStore(factory, clock)
    sessions = SessionIssuer(codec=codec, store=store, clock=clock, policy=SessionPolicy())
    hasher = PausingHasher(pepper="p" * 48)
    principals = SqlPrincipalQueries(reader)
    policy = PasswordPolicy()
    # Two dozen log-ins to one account in a moment are what rate limits refuse; the race is the point here.
    limits = RateLimits(LimitsRateLimiter(memory_limits_storage(), {}), enabled=False)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(factory, clock)

    yield Accounts(
        hasher=hasher,
        register=lambda: RegisterUser(uow=uow(), hasher=hasher, policy=policy, clock=clock, sessions=sessions,
                                      limits=limits),
        log_in=lambda: LogIn(uow=uow(), hasher=hasher, sessions=sessions, limits=limits),
        update_user=lambda: UpdateUser(uow=uow(), hasher=hasher, policy=policy, store=store, clock=clock,
                                       sessions=sessions),
        authenticate=Authenticate(codec=codec, store=store, principals=principals),
        refresh=RefreshSession(codec=codec, principals=principals, sessions=sessions, limits=limits, uow=uow()),
    )
    hasher.close()


async def _change_password(accounts: Accounts, owner: SignedIn) -> None:
    actor: Actor = await accounts.authenticate(owner.tokens.access_token)
    await accounts.update_user()(actor, AccountChanges(password=NEW))


async def _refused(accounts: Accounts, signed_in: SignedIn) -> None:
    with pytest.raises(InvalidToken):
        await accounts.authenticate(signed_in.tokens.access_token)
    with pytest.raises(InvalidToken):
        await accounts.refresh(refresh_token=signed_in.tokens.refresh_token)


async def test_a_log_in_that_checked_the_old_password_before_the_change_committed_gets_a_dead_session(
    accounts: Accounts,
) -> None:
    owner = await accounts.register()(email=EMAIL, username="jake", password=OLD)
    accounts.hasher.pausing = True
    attacker = asyncio.create_task(accounts.log_in()(email=EMAIL, password=OLD))
    await accounts.hasher.verifying.wait()  # the attacker's log-in has read the old credentials and checked them
    accounts.hasher.pausing = False
    await _change_password(accounts, owner)  # committed, and every other session ended in the store
    accounts.hasher.release.set()
    late = await attacker  # its session is opened only now, after the change

    await _refused(accounts, late)
    assert await accounts.authenticate(owner.tokens.access_token)  # the session that made the change stays


async def test_concurrent_log_ins_racing_a_change_leave_no_session_behind(accounts: Accounts) -> None:
    owner = await accounts.register()(email=EMAIL, username="jake", password=OLD)

    async def log_in_after(delay: float) -> SignedIn | InvalidCredentials:
        await asyncio.sleep(delay)
        try:
            return await accounts.log_in()(email=EMAIL, password=OLD)
        except InvalidCredentials as refused:
            return refused

    attempts = [asyncio.create_task(log_in_after(n * 0.002)) for n in range(24)]
    await asyncio.sleep(0.01)
    await _change_password(accounts, owner)
    outcomes = await asyncio.gather(*attempts)

    signed_in = [outcome for outcome in outcomes if isinstance(outcome, SignedIn)]
    assert signed_in, "no log-in read the old credentials before the change: the race was not run"
    for late in signed_in:
        await _refused(accounts, late)
    assert await accounts.log_in()(email=EMAIL, password=NEW)
    with pytest.raises(InvalidCredentials):
        await accounts.log_in()(email=EMAIL, password=OLD)
