"""The author's profile as a viewer sees it, for every query that shows one: columns, joins, mapping.

Statements come in two shapes, for an anonymous and for a signed-in viewer; the signed-in shape
takes the viewer's id as the bound parameter `viewer` when it runs (see `viewer_parameters`).
"""

from typing import Any

from sqlalchemy import BindParameter, ColumnElement, FromClause, Join, Row, bindparam, exists, false

from adapters.sql.tables import follows, profiles, users
from application.views import ProfileView
from domain.ids import UserId

# A result row of any shape; its columns are read by name.
AnyRow = Row[*tuple[Any, ...]]


def the_viewer() -> BindParameter[Any]:
    return bindparam("viewer", type_=users.c.id.type)


def viewer_parameters(viewer: UserId | None) -> dict[str, Any]:
    return {} if viewer is None else {"viewer": viewer}


def following(signed_in: bool, followee_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """Whether the viewer follows the user in `followee_id`; plainly false for an anonymous viewer, so
    that anonymous reads do not even look at `follows`."""
    if not signed_in:
        return false()
    return exists().where(follows.c.follower_id == the_viewer(), follows.c.followee_id == followee_id)


def with_profile(joined: FromClause, user_id: ColumnElement[Any]) -> Join:
    """`joined` joined to the user in `user_id` and to their profile."""
    return joined.join(users, users.c.id == user_id).join(profiles, profiles.c.user_id == user_id)


def profile_columns(signed_in: bool, user_id: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """What `profile_of` reads back: select them beside the rest of a row."""
    return [users.c.username, profiles.c.bio, profiles.c.image, following(signed_in, user_id).label("following")]


def profile_of(row: AnyRow) -> ProfileView:
    return ProfileView(username=row.username, bio=row.bio, image=row.image, following=bool(row.following))
