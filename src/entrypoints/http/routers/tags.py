"""RealWorld's tag list."""

from typing import Annotated

from fastapi import APIRouter

from application.use_cases.tags.list_tags import ListTags
from entrypoints.container import Container
from entrypoints.http.dependencies import provided
from entrypoints.http.schemas.articles import TagListResponse
from entrypoints.http.schemas.errors import responses

router = APIRouter(prefix="/api/tags", tags=["tags"])


@router.get("", response_model=TagListResponse, summary="Every tag in use, most used first",
            responses=responses(503))
async def list_tags(list_tags: Annotated[ListTags, provided(Container.list_tags)]) -> TagListResponse:
    return TagListResponse(tags=await list_tags())
