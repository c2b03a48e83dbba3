"""PasswordPolicy: 8 to 256 characters, common passwords refused unless configured otherwise."""

import pytest

from domain.passwords import PasswordPolicy

POLICY = PasswordPolicy()


@pytest.mark.parametrize("length", [0, 1, 7])
def test_shorter_than_8_is_refused(length: int) -> None:
    assert POLICY.violation("k" * length) == "is too short (minimum is 8 characters)"


@pytest.mark.parametrize("length", [8, 64, 72, 73, 256])
def test_lengths_from_8_to_256_are_accepted(length: int) -> None:
    assert POLICY.violation("k" * (length - 1) + "!") is None


def test_longer_than_256_is_refused() -> None:
    assert POLICY.violation("k" * 257) == "is too long (maximum is 256 characters)"


def test_length_counts_characters_not_bytes() -> None:
    assert POLICY.violation("é" * 8) is None
    assert POLICY.violation("é" * 256) is None


@pytest.mark.parametrize("common", ["password", "PASSWORD", "Password1", "12345678", "qwertyuiop", "iloveyou"])
def test_common_passwords_are_refused_whatever_the_case(common: str) -> None:
    assert POLICY.violation(common) == "is too common"


def test_common_passwords_are_accepted_when_the_check_is_off() -> None:
    assert PasswordPolicy(refuse_common=False).violation("password") is None


def test_length_still_applies_when_the_common_check_is_off() -> None:
    assert PasswordPolicy(refuse_common=False).violation("short") is not None


def test_no_composition_rules() -> None:
    assert POLICY.violation("all lower case words") is None
