"""Profile: bio and image are optional, bounded, and an empty value clears them."""

import uuid

import pytest

from domain.errors import InvalidValue
from domain.ids import UserId
from domain.profiles import BIO_MAX_LENGTH, IMAGE_MAX_LENGTH, Profile, ensure_can_follow


def a_profile() -> Profile:
    return Profile(user_id=UserId(uuid.uuid4()), bio="old bio", image="https://img.example/old.png")


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_an_empty_bio_is_no_bio(empty: str | None) -> None:
    profile = a_profile()
    profile.change_bio(empty)
    assert profile.bio is None


@pytest.mark.parametrize("empty", ["", "  ", None])
def test_an_empty_image_is_no_image(empty: str | None) -> None:
    profile = a_profile()
    profile.change_image(empty)
    assert profile.image is None


def test_bio_up_to_the_limit_is_kept() -> None:
    profile = a_profile()
    profile.change_bio("b" * BIO_MAX_LENGTH)
    assert profile.bio == "b" * BIO_MAX_LENGTH


def test_bio_over_the_limit_is_refused() -> None:
    profile = a_profile()
    with pytest.raises(InvalidValue) as raised:
        profile.change_bio("b" * (BIO_MAX_LENGTH + 1))
    assert raised.value.field == "bio"
    assert profile.bio == "old bio"


def test_image_up_to_the_limit_is_kept() -> None:
    url = "https://img.example/" + "i" * (IMAGE_MAX_LENGTH - 20)
    profile = a_profile()
    profile.change_image(url)
    assert profile.image == url


def test_image_over_the_limit_is_refused() -> None:
    with pytest.raises(InvalidValue) as raised:
        a_profile().change_image("https://img.example/" + "i" * IMAGE_MAX_LENGTH)
    assert raised.value.field == "image"


def test_image_with_spaces_is_not_a_url() -> None:
    profile = a_profile()
    with pytest.raises(InvalidValue) as raised:
        profile.change_image("https://img.example/my picture.png")
    assert (raised.value.field, raised.value.message) == ("image", "must be a URL")
    assert profile.image == "https://img.example/old.png"


def test_one_may_follow_someone_else() -> None:
    ensure_can_follow(UserId(uuid.uuid4()), UserId(uuid.uuid4()))


def test_one_may_not_follow_oneself() -> None:
    me = UserId(uuid.uuid4())
    with pytest.raises(InvalidValue) as raised:
        ensure_can_follow(me, me)
    assert (raised.value.field, raised.value.message) == ("profile", "cannot follow yourself")
