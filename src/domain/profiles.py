"""The Profile entity: the public face of a user, one-to-one with the account."""

from dataclasses import dataclass

from domain.errors import NUL, NUL_MESSAGE, InvalidValue
from domain.ids import UserId

BIO_MAX_LENGTH = 2000
IMAGE_MAX_LENGTH = 2048


@dataclass(eq=False, slots=True)
class Profile:
    user_id: UserId
    bio: str | None = None
    image: str | None = None

    def change_bio(self, bio: str | None) -> None:
        """An empty bio is no bio."""
        self.bio = _optional_text(bio, field="bio", max_length=BIO_MAX_LENGTH)

    def change_image(self, image: str | None) -> None:
        """A URL, trimmed (a pasted link often ends in a newline); white space inside is refused."""
        image = _optional_text(image, field="image", max_length=IMAGE_MAX_LENGTH)
        image = image.strip() if image is not None else None
        if image is not None and any(ch.isspace() for ch in image):
            raise InvalidValue("must be a URL", field="image")
        self.image = image


def _optional_text(value: str | None, *, field: str, max_length: int) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > max_length:
        raise InvalidValue(f"is too long (maximum is {max_length} characters)", field=field)
    if NUL in value:
        raise InvalidValue(NUL_MESSAGE, field=field)
    return value


def ensure_can_follow(follower: UserId, followee: UserId) -> None:
    """Following oneself is refused."""
    if follower == followee:
        raise InvalidValue("cannot follow yourself", field="profile")
