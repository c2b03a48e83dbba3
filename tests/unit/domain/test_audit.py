"""Audit events keep what a client sent short and harmless: no control characters, bounded length."""

import unicodedata
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from domain.audit import (
    CLIENT_ADDRESS_MAX_LENGTH,
    DETAIL_MAX_LENGTH,
    REQUEST_ID_MAX_LENGTH,
    TARGET_MAX_LENGTH,
    AuditAction,
    AuditEntry,
    AuditEvent,
)

NOW = datetime(2026, 3, 1, 9, 30, 15, 250_000, tzinfo=UTC)


def _harmless(text: str | None, max_length: int) -> bool:
    return text is None or (len(text) <= max_length and not any(unicodedata.category(ch) == "Cc" for ch in text))


@given(st.text())
def test_any_target_is_stored_short_and_without_control_characters(typed: str) -> None:
    event = AuditEvent(action=AuditAction.LOGIN_FAILED, actor_id=None, target=typed, details={"note": typed})
    assert _harmless(event.target, TARGET_MAX_LENGTH)
    assert _harmless(event.details["note"], DETAIL_MAX_LENGTH)


@given(st.text(), st.text())
def test_any_address_and_request_id_are_stored_short_and_without_control_characters(address: str, rid: str) -> None:
    entry = AuditEntry(event=AuditEvent(action=AuditAction.LOGGED_OUT, actor_id=None), at=NOW,
                       client_address=address, request_id=rid)
    assert _harmless(entry.client_address, CLIENT_ADDRESS_MAX_LENGTH)
    assert _harmless(entry.request_id, REQUEST_ID_MAX_LENGTH)


def test_a_line_break_or_a_nul_is_shown_not_obeyed() -> None:
    event = AuditEvent(action=AuditAction.LOGIN_FAILED, actor_id=None, target="jake@example.com\r\nadmin\x00")
    shown = "\N{REPLACEMENT CHARACTER}"
    assert event.target == f"jake@example.com{shown}{shown}admin{shown}"


def test_plain_text_is_kept_as_it_was_sent() -> None:
    event = AuditEvent(action=AuditAction.LOGIN_FAILED, actor_id=None, target="Jäke@Example.com")
    assert event.target == "Jäke@Example.com"
