"""A stateful model of one user's sessions: log-in, refresh, replay, log-out, log-out-everywhere, password change.

Invariants: a session never has two usable refresh tokens (a live one has exactly its latest), nothing of a
replayed or ended session works, a revoked access token is never accepted, and another user's session survives.
"""

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from application.errors import InvalidCredentials, InvalidToken, TokenReused
from application.sessions import TokenPair
from application.use_cases.users.update_user import AccountChanges
from tests.builders import PASSWORD, App, a_user, an_actor

T = TypeVar("T")
EMAIL = "jake@example.com"


@dataclass
class Family:
    """What the model expects of one session."""

    refresh_tokens: list[str]
    access_tokens: list[str]
    live: bool = True
    replayed: bool = False

    @classmethod
    def opened(cls, tokens: TokenPair) -> "Family":
        return cls(refresh_tokens=[tokens.refresh_token], access_tokens=[tokens.access_token])

    def rotated(self, tokens: TokenPair) -> None:
        self.refresh_tokens.append(tokens.refresh_token)
        self.access_tokens.append(tokens.access_token)


@dataclass
class Expectations:
    families: list[Family] = field(default_factory=list)
    revoked_access: list[str] = field(default_factory=list)

    def live(self) -> list[Family]:
        return [family for family in self.families if family.live]


class SessionsOfOneUser(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.app = App()
        self.password = PASSWORD
        self.changes = 0
        self.model = Expectations()
        self.model.families.append(Family.opened(self.run(a_user(self.app, email=EMAIL)).tokens))
        self.bystander = self.run(a_user(self.app, email="jane@example.com", username="jane"))

    def teardown(self) -> None:
        self.loop.close()

    def run(self, step: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(step)

    def pick(self, families: list[Family], index: int) -> Family:
        return families[index % len(families)]

    def accepted(self, access_token: str) -> bool:
        try:
            self.run(an_actor(self.app, access_token))
        except InvalidToken:
            return False
        return True

    def refreshes(self, app: App, refresh_token: str) -> TokenPair:
        return self.run(app.refresh()(refresh_token=refresh_token))

    # Rules.

    @rule()
    def log_in(self) -> None:
        signed_in = self.run(self.app.log_in()(email=EMAIL, password=self.password))
        self.model.families.append(Family.opened(signed_in.tokens))

    @rule(index=st.integers(min_value=0))
    def refresh_with_the_latest(self, index: int) -> None:
        family = self.pick(self.model.families, index)
        if family.live:
            family.rotated(self.refreshes(self.app, family.refresh_tokens[-1]))
        else:
            with pytest.raises(InvalidToken):
                self.refreshes(self.app, family.refresh_tokens[-1])

    @precondition(lambda self: any(len(family.refresh_tokens) > 1 for family in self.model.families))
    @rule(index=st.integers(min_value=0), which=st.integers(min_value=0))
    def refresh_with_a_stale_token(self, index: int, which: int) -> None:
        family = self.pick([f for f in self.model.families if len(f.refresh_tokens) > 1], index)
        stale = family.refresh_tokens[which % (len(family.refresh_tokens) - 1)]
        with pytest.raises(InvalidToken) as raised:
            self.refreshes(self.app, stale)
        if family.live:
            assert isinstance(raised.value, TokenReused)
            family.live, family.replayed = False, True

    @rule(index=st.integers(min_value=0))
    def replay_right_after_a_refresh(self, index: int) -> None:
        """The same token presented twice in a row, as a thief racing the owner would."""
        family = self.pick(self.model.families, index)
        presented = family.refresh_tokens[-1]
        if family.live:
            family.rotated(self.refreshes(self.app, presented))
        with pytest.raises(InvalidToken) as raised:
            self.refreshes(self.app, presented)
        if family.live:
            assert isinstance(raised.value, TokenReused)
            family.live, family.replayed = False, True

    @precondition(lambda self: self.model.live())
    @rule(index=st.integers(min_value=0), which=st.integers(min_value=0))
    def log_out(self, index: int, which: int) -> None:
        family = self.pick(self.model.live(), index)
        access = family.access_tokens[which % len(family.access_tokens)]
        self.run(self.app.log_out()(self.run(an_actor(self.app, access))))
        family.live = False
        self.model.revoked_access.append(access)

    @precondition(lambda self: self.model.live())
    @rule(index=st.integers(min_value=0))
    def log_out_everywhere(self, index: int) -> None:
        access = self.pick(self.model.live(), index).access_tokens[-1]
        self.run(self.app.log_out_everywhere()(self.run(an_actor(self.app, access))))
        for family in self.model.families:
            family.live = False
        self.model.revoked_access.append(access)

    @precondition(lambda self: self.model.live())
    @rule(index=st.integers(min_value=0))
    def change_password(self, index: int) -> None:
        caller = self.pick(self.model.live(), index)
        old, self.changes = self.password, self.changes + 1
        self.password = f"new secret number {self.changes}"
        actor = self.run(an_actor(self.app, caller.access_tokens[-1]))
        self.run(self.app.update_user()(actor, AccountChanges(password=self.password)))
        for family in self.model.families:
            family.live = family.live and family is caller
        with pytest.raises(InvalidCredentials):
            self.run(self.app.log_in()(email=EMAIL, password=old))

    @rule(by=st.sampled_from([timedelta(0), timedelta(milliseconds=400), timedelta(seconds=1), timedelta(seconds=2)]))
    def tick(self, by: timedelta) -> None:
        self.app.clock.advance(by)

    # Invariants.

    @invariant()
    def access_tokens_work_exactly_while_their_session_lives(self) -> None:
        for family in self.model.families:
            for access in family.access_tokens:
                assert self.accepted(access) is family.live

    @invariant()
    def a_revoked_access_token_is_never_accepted(self) -> None:
        assert not any(self.accepted(access) for access in self.model.revoked_access)

    @invariant()
    def a_session_has_at_most_one_usable_refresh_token(self) -> None:
        for family in self.model.families:
            usable = [token for token in family.refresh_tokens if self.usable_refresh(token)]
            assert len(usable) <= 1
            assert usable == ([family.refresh_tokens[-1]] if family.live else [])

    @invariant()
    def nothing_of_a_replayed_session_works(self) -> None:
        for family in self.model.families:
            if family.replayed:
                assert not family.live
                assert not any(self.accepted(access) for access in family.access_tokens)

    @invariant()
    def another_users_session_survives(self) -> None:
        assert self.accepted(self.bystander.tokens.access_token)

    def usable_refresh(self, refresh_token: str) -> bool:
        """Tried on a copy of the stored state, since trying spends the token."""
        try:
            self.refreshes(self.app.fork(), refresh_token)
        except InvalidToken:
            return False
        return True


SessionsOfOneUser.TestCase.settings = settings(
    max_examples=60, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestSessionsOfOneUser = SessionsOfOneUser.TestCase
