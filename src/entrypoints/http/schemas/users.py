"""Request and response bodies of the user and profile endpoints, in RealWorld's envelopes."""

from pydantic import BaseModel, ConfigDict, Field

from application.views import AccountView, ProfileView
from domain.passwords import MAX_LENGTH as PASSWORD_MAX
from domain.profiles import BIO_MAX_LENGTH, IMAGE_MAX_LENGTH
from domain.users import EMAIL_MAX_LENGTH

USERNAME_MAX = 64


class NewUser(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"username": "jake", "email": "jake@jake.jake", "password": "jakejake"}}
    )
    username: str = Field(max_length=USERNAME_MAX)
    email: str = Field(max_length=EMAIL_MAX_LENGTH)
    password: str = Field(max_length=PASSWORD_MAX)


class NewUserRequest(BaseModel):
    user: NewUser


class LoginUser(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"email": "jake@jake.jake", "password": "jakejake"}})
    email: str = Field(max_length=EMAIL_MAX_LENGTH)
    password: str = Field(max_length=PASSWORD_MAX)


class LoginUserRequest(BaseModel):
    user: LoginUser


class UserChanges(BaseModel):
    """Every field is optional; `bio` and `image` may be null or "" to clear them."""

    model_config = ConfigDict(json_schema_extra={"example": {"bio": "I like to skateboard", "image": None}})
    email: str | None = Field(default=None, max_length=EMAIL_MAX_LENGTH)
    username: str | None = Field(default=None, max_length=USERNAME_MAX)
    password: str | None = Field(default=None, max_length=PASSWORD_MAX)
    bio: str | None = Field(default=None, max_length=BIO_MAX_LENGTH)
    image: str | None = Field(default=None, max_length=IMAGE_MAX_LENGTH)


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
    token: str
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
