"""REALWORLD_TOKEN_TTL_SECONDS: seven days unless set, and a lifetime must be positive."""

import pytest
from pydantic import ValidationError

from tests.builders import settings_for_tests


def test_defaults_to_seven_days() -> None:
    assert settings_for_tests().realworld_token_ttl_seconds == 7 * 24 * 3600


@pytest.mark.parametrize("seconds", [0, -1])
def test_a_lifetime_that_is_not_positive_is_refused(seconds: int) -> None:
    with pytest.raises(ValidationError) as refused:
        settings_for_tests(realworld_token_ttl_seconds=seconds)
    assert "realworld_token_ttl_seconds" in str(refused.value)
