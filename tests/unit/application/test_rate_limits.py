"""RateLimits: which attempts count, on which keys, and what a refusal says."""

import pytest

from adapters.rate_limiter import LimitsRateLimiter, memory_limits_storage
from application.rate_limits import TOO_MANY, RateLimits, Rule
from application.tracing import current_client_address
from domain.errors import RateLimited
from domain.ids import new_session_id

RULES = {rule.value: "3/minute" for rule in Rule}


def limits(*, enabled: bool = True) -> RateLimits:
    return RateLimits(LimitsRateLimiter(memory_limits_storage(), RULES), enabled=enabled)


async def refused(attempt: object) -> RateLimited:
    with pytest.raises(RateLimited) as raised:
        await attempt  # type: ignore[misc]
    return raised.value


@pytest.fixture
def address() -> object:
    token = current_client_address.set("203.0.113.7")
    yield
    current_client_address.reset(token)


async def test_log_ins_to_one_account_are_counted_whatever_the_letter_case(address: object) -> None:
    policy = limits()
    for email in ("jake@example.com", "JAKE@example.com", " jake@EXAMPLE.com "):
        await policy.log_in(email=email)
    error = await refused(policy.log_in(email="jake@example.com"))
    assert (error.field, error.message) == ("log in", TOO_MANY)
    assert 1 <= error.retry_after <= 60


async def test_log_ins_from_one_address_are_counted_across_accounts(address: object) -> None:
    policy = limits()
    for n in range(3):
        await policy.log_in(email=f"user{n}@example.com")
    await refused(policy.log_in(email="someone.else@example.com"))
    token = current_client_address.set("198.51.100.1")
    try:
        await policy.log_in(email="someone.else@example.com")  # another address, an account not yet tried
    finally:
        current_client_address.reset(token)


async def test_outside_a_request_only_the_account_counts() -> None:
    policy = limits()
    for n in range(5):
        await policy.log_in(email=f"user{n}@example.com")
    for _ in range(3):
        await policy.log_in(email="jake@example.com")
    await refused(policy.log_in(email="jake@example.com"))


async def test_registrations_are_counted_per_address(address: object) -> None:
    policy = limits()
    for _ in range(3):
        await policy.registration()
    assert (await refused(policy.registration())).field == "registration"


async def test_refreshes_are_counted_per_session() -> None:
    policy, session, other = limits(), new_session_id(), new_session_id()
    for _ in range(3):
        await policy.refresh(session)
    assert (await refused(policy.refresh(session))).field == "refresh"
    await policy.refresh(other)


async def test_mails_are_counted_per_recipient_and_per_address(address: object) -> None:
    policy = limits()
    for _ in range(3):
        await policy.mail(email="jake@example.com")
    assert (await refused(policy.mail(email="Jake@Example.com"))).field == "mail"
    await refused(policy.mail(email="jane@example.com"))  # the address has spent its three as well


async def test_rules_are_counted_apart(address: object) -> None:
    policy = limits()
    for _ in range(3):
        await policy.log_in(email="jake@example.com")
    await policy.registration()
    await policy.mail(email="jake@example.com")


async def test_switched_off_nothing_is_refused(address: object) -> None:
    policy = limits(enabled=False)
    for _ in range(10):
        await policy.log_in(email="jake@example.com")
        await policy.registration()
