"""Request and response bodies of the user and profile endpoints, in RealWorld's envelopes."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from application.views import AccountView, ProfileView
from domain.passwords import MAX_LENGTH as PASSWORD_MAX
from domain.profiles import BIO_MAX_LENGTH, IMAGE_MAX_LENGTH
from domain.users import EMAIL_MAX_LENGTH
from entrypoints.http.schemas import rules

USERNAME_MAX = 64


class NewUser(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"username": "jake", "email": "jake@jake.jake", "password": "jakejake"}}
    )
    username: Annotated[str, rules.username()] = Field(max_length=USERNAME_MAX)
    email: Annotated[str, rules.email()] = Field(max_length=EMAIL_MAX_LENGTH)
    password: Annotated[str, rules.new_password_schema()] = Field(max_length=PASSWORD_MAX)


class NewUserRequest(BaseModel):
    user: NewUser


class LoginUser(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"email": "jake@jake.jake", "password": "jakejake"}})
    email: Annotated[str, rules.given_email()] = Field(max_length=EMAIL_MAX_LENGTH)
    password: Annotated[str, rules.given_password()] = Field(max_length=PASSWORD_MAX)


class LoginUserRequest(BaseModel):
    user: LoginUser


class UserChanges(BaseModel):
    """Every field is optional, and only `bio` and `image` may be null (or "") to clear them. A null sent
    for another field is refused as blank."""

    model_config = ConfigDict(json_schema_extra={"example": {"bio": "I like to skateboard", "image": None}})
    email: Annotated[str | None, rules.email()] = Field(default=None, max_length=EMAIL_MAX_LENGTH)
    username: Annotated[str | None, rules.username()] = Field(default=None, max_length=USERNAME_MAX)
    password: Annotated[str | None, rules.new_password_schema()] = Field(default=None, max_length=PASSWORD_MAX)
    bio: Annotated[str | None, rules.text(BIO_MAX_LENGTH, nullable=True)] = Field(
        default=None, max_length=BIO_MAX_LENGTH)
    image: Annotated[str | None, rules.image(IMAGE_MAX_LENGTH)] = Field(default=None, max_length=IMAGE_MAX_LENGTH)


class UpdateUserRequest(BaseModel):
    user: UserChanges


class User(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"email": "jake@jake.jake", "token": "eyJ...", "username": "jake", "bio": None, "image": None,
                        "emailVerified": False}
        }
    )
    email: str
    token: str = Field(description="Access token of the session, sent as `Authorization: Token …`; long-lived "
                                   "(REALWORLD_TOKEN_TTL_SECONDS), as RealWorld clients never refresh it.")
    username: str
    bio: str | None
    image: str | None
    emailVerified: bool = Field(description="Whether the address was confirmed through the link mailed to it.")
    refreshToken: str | None = Field(default=None, description="Only on register and login.")

    @classmethod
    def of(cls, account: AccountView, *, token: str, refresh_token: str | None = None) -> "User":
        return cls(email=account.email, token=token, username=account.username, bio=account.bio,
                   image=account.image, emailVerified=account.email_verified, refreshToken=refresh_token)


class UserResponse(BaseModel):
    user: User


class Profile(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"username": "jake", "bio": None, "image": None, "following": False}}
    )
    username: str
    bio: str | None
    image: str | None
    following: bool

    @classmethod
    def of(cls, view: ProfileView) -> "Profile":
        return cls(username=view.username, bio=view.bio, image=view.image, following=view.following)


class ProfileResponse(BaseModel):
    profile: Profile
