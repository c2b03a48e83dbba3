"""JWT_SECRET and PASSWORD_PEPPER, when given, are at least 32 bytes in every profile: a short one is
refused when the settings are read, with a message that names it, not by a 500 on every token later."""

from typing import Any

import pytest
from pydantic import ValidationError

from entrypoints.settings import Settings

LONG = "s" * 32
PRODUCTION = {"inkwell_profile": "production", "database_url": "postgresql+psycopg://db/inkwell",
              "redis_url": "redis://cache:6379/0", "jwt_secret": LONG, "password_pepper": LONG}


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize("profile", ["embedded", "test", "production"])
@pytest.mark.parametrize("name", ["jwt_secret", "password_pepper"])
def test_a_short_secret_is_refused_in_every_profile(profile: str, name: str) -> None:
    values = {**PRODUCTION, "inkwell_profile": profile, name: "short"}
    with pytest.raises(ValidationError) as refused:
        settings(**values)
    message = refused.value.errors()[0]["msg"]
    assert f"{name.upper()} must be set to at least 32 bytes (it has 5)" in message
    assert "short" not in message.replace("(it has 5)", "")  # the value itself is never repeated


def test_bytes_are_counted_not_characters() -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET must be set to at least 32 bytes"):
        settings(jwt_secret="é" * 15)  # 15 characters, 30 bytes
    assert settings(jwt_secret="é" * 16).jwt_secret is not None  # 32 bytes


@pytest.mark.parametrize("profile", ["embedded", "test"])
def test_secrets_of_32_bytes_or_none_at_all_are_accepted_outside_production(profile: str) -> None:
    assert settings(inkwell_profile=profile, jwt_secret=LONG, password_pepper=LONG).jwt_secret is not None
    unset = settings(inkwell_profile=profile)
    assert unset.jwt_secret is None and unset.password_pepper is None  # generated (and kept when embedded)
    assert settings(inkwell_profile=profile, jwt_secret="").jwt_secret is not None  # empty means unset


def test_production_still_needs_both_secrets() -> None:
    for name in ("jwt_secret", "password_pepper"):
        with pytest.raises(ValidationError, match=f"{name.upper()} must be set to at least 32 bytes in production"):
            settings(**{**PRODUCTION, name: None})
