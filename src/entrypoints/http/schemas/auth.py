"""Bodies of the session endpoints and of address verification and password reset."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from application.sessions import TokenPair
from domain.passwords import MAX_LENGTH as PASSWORD_MAX
from domain.users import EMAIL_MAX_LENGTH
from entrypoints.http.schemas import rules

TOKEN_MAX = 4096
OAUTH2_EXTRA_MAX = 256  # scope, client_id, client_secret: read by nothing, bounded all the same


class PasswordGrantForm(BaseModel):
    """The OAuth2 password form (RFC 6749 §4.3), bounded like the JSON log-in: a field too long is a 422
    before any password is hashed."""

    grant_type: Literal["password"] | None = None
    username: Annotated[str, rules.given_email(description="The account's email.")] = Field(
        max_length=EMAIL_MAX_LENGTH)
    password: Annotated[str, rules.given_password()] = Field(max_length=PASSWORD_MAX)
    scope: str = Field(default="", max_length=OAUTH2_EXTRA_MAX)
    client_id: str | None = Field(default=None, max_length=OAUTH2_EXTRA_MAX)
    client_secret: str | None = Field(default=None, max_length=OAUTH2_EXTRA_MAX,
                                      json_schema_extra={"format": "password"})


class RefreshRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"refresh_token": "eyJ..."}})
    refresh_token: str = Field(max_length=TOKEN_MAX)


class TokenResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"access_token": "eyJ...", "refresh_token": "eyJ...", "token_type": "bearer", "expires_in": 900}
        }
    )
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires.")

    @classmethod
    def of(cls, pair: TokenPair) -> "TokenResponse":
        return cls(access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in)


class VerifyEmailRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"token": "eyJ..."}})
    token: str = Field(max_length=TOKEN_MAX, description="The token from the link in the verification mail.")


class ForgotPasswordRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"email": "jake@jake.jake"}})
    email: Annotated[str, rules.email()] = Field(max_length=EMAIL_MAX_LENGTH)


class ResetPasswordRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"token": "eyJ...", "password": "a new passphrase"}})
    token: str = Field(max_length=TOKEN_MAX, description="The token from the link in the reset mail.")
    password: Annotated[str, rules.new_password_schema()] = Field(max_length=PASSWORD_MAX)
