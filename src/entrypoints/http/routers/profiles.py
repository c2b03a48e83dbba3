"""RealWorld's profile endpoints."""

from typing import Annotated

from fastapi import APIRouter, Path

from application.use_cases.profiles.follow_user import FollowUser
from application.use_cases.profiles.get_profile import GetProfile
from application.use_cases.profiles.unfollow_user import UnfollowUser
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor, OptionalActor
from entrypoints.http.dependencies import provided
from entrypoints.http.schemas.errors import NO_NUL, responses
from entrypoints.http.schemas.users import Profile, ProfileResponse

router = APIRouter(prefix="/api/profiles", tags=["profiles"])

Username = Annotated[str, Path(max_length=64, pattern=NO_NUL)]


@router.get("/{username}", response_model=ProfileResponse, summary="Get a profile",
            responses=responses(401, 404, 503))
async def get_profile(
    username: Username,
    viewer: OptionalActor,
    get_profile: Annotated[GetProfile, provided(Container.get_profile)],
) -> ProfileResponse:
    return ProfileResponse(profile=Profile.of(await get_profile(viewer, username=username)))


@router.post("/{username}/follow", response_model=ProfileResponse, summary="Follow a user",
             responses=responses(401, 404, 422, 503))
async def follow(
    username: Username, actor: CurrentActor, follow_user: Annotated[FollowUser, provided(Container.follow_user)]
) -> ProfileResponse:
    return ProfileResponse(profile=Profile.of(await follow_user(actor, username=username)))


@router.delete("/{username}/follow", response_model=ProfileResponse, summary="Stop following a user",
               responses=responses(401, 404, 503))
async def unfollow(
    username: Username,
    actor: CurrentActor,
    unfollow_user: Annotated[UnfollowUser, provided(Container.unfollow_user)],
) -> ProfileResponse:
    return ProfileResponse(profile=Profile.of(await unfollow_user(actor, username=username)))
