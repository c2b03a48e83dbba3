"""RealWorld's comment endpoints."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from application.use_cases.comments.add_comment import AddComment
from application.use_cases.comments.delete_comment import DeleteComment
from application.use_cases.comments.list_comments import ListComments
from domain.ids import CommentId
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor, OptionalActor
from entrypoints.http.dependencies import provided
from entrypoints.http.routers.articles import Slug
from entrypoints.http.schemas.articles import Comment, CommentListResponse, CommentResponse, NewCommentRequest
from entrypoints.http.schemas.errors import responses

router = APIRouter(prefix="/api/articles/{slug}/comments", tags=["comments"])

CommentIdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("", response_model=CommentListResponse, summary="Every comment on an article, oldest first",
            responses=responses(401, 404, 503))
async def list_comments(
    slug: Slug, viewer: OptionalActor, list_comments: Annotated[ListComments, provided(Container.list_comments)]
) -> CommentListResponse:
    return CommentListResponse(comments=[Comment.of(c) for c in await list_comments(viewer, slug=slug)])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CommentResponse, summary="Comment on an article",
             responses=responses(401, 404, 422, 503))
async def add_comment(
    slug: Slug,
    body: NewCommentRequest,
    actor: CurrentActor,
    add_comment: Annotated[AddComment, provided(Container.add_comment)],
) -> CommentResponse:
    return CommentResponse(comment=Comment.of(await add_comment(actor, slug=slug, body=body.comment.body)))


@router.delete("/{comment_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               summary="Delete a comment (its author or an admin)", responses=responses(401, 403, 404, 422, 503))
async def delete_comment(
    slug: Slug,
    comment_id: CommentIdPath,
    actor: CurrentActor,
    delete_comment: Annotated[DeleteComment, provided(Container.delete_comment)],
) -> Response:
    await delete_comment(actor, slug=slug, comment_id=CommentId(comment_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
