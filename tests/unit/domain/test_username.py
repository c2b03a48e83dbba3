"""Username: 3-64 letters, digits, '_' or '-', unique whatever the letter case."""

import pytest

from domain.errors import InvalidValue
from domain.users import Username


@pytest.mark.parametrize("name", ["abc", "Jake_Smith-2", "a" * 64, "___", "123"])
def test_allowed_names_are_kept_as_written(name: str) -> None:
    assert Username(name).value == name


def test_surrounding_spaces_are_dropped() -> None:
    assert Username("  jake ").value == "jake"


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_is_refused(blank: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Username(blank)
    assert (raised.value.field, raised.value.message) == ("username", "can't be blank")


@pytest.mark.parametrize("name", ["ab", "a" * 65, "jake smith", "jake.smith", "jäke", "jake@home", "jake\n2"])
def test_other_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Username(name)
    assert raised.value.field == "username"
    assert raised.value.message == "must be 3-64 letters, digits, '_' or '-'"


def test_key_ignores_letter_case() -> None:
    assert Username("JakeSmith").key == Username("jakesmith").key == "jakesmith"


def test_value_keeps_its_letter_case() -> None:
    assert Username("JakeSmith").value == "JakeSmith"
