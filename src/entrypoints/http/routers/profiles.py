"""RealWorld's profile endpoints."""

from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Path

from application.use_cases.profiles.get_profile import GetProfile
from entrypoints.container import Container
from entrypoints.http.auth import OptionalActor
from entrypoints.http.schemas.errors import responses
from entrypoints.http.schemas.users import Profile, ProfileResponse

router = APIRouter(prefix="/api/profiles", tags=["profiles"])

Username = Annotated[str, Path(max_length=64)]


@router.get("/{username}", response_model=ProfileResponse, summary="Get a profile",
            responses=responses(401, 404, 503))
@inject
async def get_profile(
    username: Username,
    viewer: OptionalActor,
    get_profile: Annotated[GetProfile, Depends(Provide[Container.get_profile])],
) -> ProfileResponse:
    return ProfileResponse(profile=Profile.of(await get_profile(viewer, username=username)))
