"""Domain events: facts an aggregate records for whoever must react after its transaction commits."""

from dataclasses import dataclass

from domain.ids import SessionId, UserId


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that happened to an aggregate."""


@dataclass(frozen=True, slots=True)
class UserRegistered(DomainEvent):
    user_id: UserId
    email: str


@dataclass(frozen=True, slots=True)
class EmailChanged(DomainEvent):
    user_id: UserId
    email: str


@dataclass(frozen=True, slots=True)
class SessionsRevoked(DomainEvent):
    """Every session of the user ended, except `kept_session_id` when there is one."""

    user_id: UserId
    kept_session_id: SessionId | None
