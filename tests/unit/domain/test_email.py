"""Email: normalised to lower case, blank and malformed addresses refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.users import Email

LOCAL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._+-"
LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
TLD = st.from_regex(r"[a-z]{2,10}", fullmatch=True)


@st.composite
def valid_emails(draw: st.DrawFn) -> str:
    local = draw(st.text(LOCAL_CHARS, min_size=1, max_size=30))
    labels = draw(st.lists(LABEL, min_size=1, max_size=3))
    return f"{local}@{'.'.join(labels)}.{draw(TLD)}"


def test_is_kept_in_lower_case() -> None:
    assert Email("Jake.Smith@Example.COM").value == "jake.smith@example.com"


def test_surrounding_spaces_are_dropped() -> None:
    assert Email("  jake@example.com \n").value == "jake@example.com"


def test_addresses_differing_only_in_case_are_equal() -> None:
    assert Email("JAKE@example.com") == Email("jake@EXAMPLE.com")


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_blank_is_refused(blank: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Email(blank)
    assert (raised.value.field, raised.value.message) == ("email", "can't be blank")


@pytest.mark.parametrize(
    "invalid",
    [
        "jake",
        "jake@",
        "@example.com",
        "jake@example",
        "jake@@example.com",
        "ja ke@example.com",
        "jake@exa mple.com",
        "jake@-example.com",
        "jake@example-.com",
        "jake@example..com",
        "jake@example.c",
        "jake@example.c0m",
        "ja\x00ke@example.com",
        "x" * 65 + "@example.com",
        "jake@" + "a" * 250 + ".com",
    ],
)
def test_malformed_addresses_are_refused(invalid: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Email(invalid)
    assert (raised.value.field, raised.value.message) == ("email", "is invalid")


def test_longest_allowed_local_part_is_accepted() -> None:
    assert Email("x" * 64 + "@example.com").value.startswith("x" * 64)


@given(valid_emails(), st.data())
def test_any_letter_case_gives_the_same_email(address: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(address), max_size=len(address)))
    recased = "".join(ch.upper() if flip else ch for ch, flip in zip(address, flips, strict=True))
    assert Email(recased) == Email(address)
    assert Email(recased).value == address
