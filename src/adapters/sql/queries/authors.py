"""The author's profile as a viewer sees it, for every query that shows one: columns, joins, mapping."""

from typing import Any

from sqlalchemy import ColumnElement, Join, exists, false
from sqlalchemy.sql.elements import KeyedColumnElement

from adapters.sql.tables import follows, profiles, users
from application.views import ProfileView
from domain.ids import UserId


def following(viewer: UserId | None, followee_id: KeyedColumnElement[Any]) -> ColumnElement[bool]:
    """Whether `viewer` follows the user in `followee_id`; plainly false for an anonymous viewer."""
    if viewer is None:
        return false()
    return exists().where(follows.c.follower_id == viewer, follows.c.followee_id == followee_id)


def with_profile(joined: Join | Any, user_id: KeyedColumnElement[Any]) -> Join:
    """`joined` joined to the user in `user_id` and their profile."""
    return joined.join(users, users.c.id == user_id).join(profiles, profiles.c.user_id == user_id)


def profile_columns(viewer: UserId | None, user_id: KeyedColumnElement[Any]) -> list[ColumnElement[Any]]:
    return [
        users.c.username,
        profiles.c.bio,
        profiles.c.image,
        following(viewer, user_id).label("following"),
    ]


def profile_of(row: Any) -> ProfileView:
    return ProfileView(username=row.username, bio=row.bio, image=row.image, following=bool(row.following))
