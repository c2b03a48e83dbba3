"""RealWorld's article endpoints: list, feed, read, write, edit, delete, favorite."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from application.ports.queries import ArticleFilter
from application.use_cases.articles.create_article import CreateArticle
from application.use_cases.articles.delete_article import DeleteArticle
from application.use_cases.articles.favorite_article import FavoriteArticle
from application.use_cases.articles.feed import Feed
from application.use_cases.articles.get_article import GetArticle
from application.use_cases.articles.list_articles import ListArticles
from application.use_cases.articles.unfavorite_article import UnfavoriteArticle
from application.use_cases.articles.update_article import UpdateArticle
from application.views import ArticlePage
from domain.articles import SLUG_MAX_LENGTH
from domain.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Page
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor, OptionalActor
from entrypoints.http.dependencies import provided
from entrypoints.http.schemas.articles import (
    Article,
    ArticleInList,
    ArticleListResponse,
    ArticleResponse,
    NewArticleRequest,
    UpdateArticleRequest,
)
from entrypoints.http.schemas.errors import NO_NUL, responses

router = APIRouter(prefix="/api/articles", tags=["articles"])

Slug = Annotated[str, Path(max_length=SLUG_MAX_LENGTH + 64, pattern=NO_NUL)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many matches to skip.")]
Name = Annotated[str | None, Query(max_length=64, pattern=NO_NUL)]


def _listing(page: ArticlePage) -> ArticleListResponse:
    return ArticleListResponse(articles=[ArticleInList.of(a) for a in page.articles], articlesCount=page.total)


@router.get("", response_model=ArticleListResponse, summary="List articles, newest first",
            responses=responses(401, 422, 503))
async def list_articles(
    viewer: OptionalActor,
    list_articles: Annotated[ListArticles, provided(Container.list_articles)],
    tag: Name = None,
    author: Name = None,
    favorited: Name = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> ArticleListResponse:
    criteria = ArticleFilter(tag=tag, author=author, favorited_by=favorited)
    return _listing(await list_articles(viewer, criteria=criteria, page=Page(limit=limit, offset=offset)))


@router.get("/feed", response_model=ArticleListResponse, summary="Articles by the authors you follow",
            responses=responses(401, 422, 503))
async def feed(
    actor: CurrentActor,
    feed: Annotated[Feed, provided(Container.feed)],
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> ArticleListResponse:
    return _listing(await feed(actor, page=Page(limit=limit, offset=offset)))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ArticleResponse, summary="Write an article",
             responses=responses(401, 422, 503))
async def create_article(
    body: NewArticleRequest,
    actor: CurrentActor,
    create_article: Annotated[CreateArticle, provided(Container.create_article)],
) -> ArticleResponse:
    new = body.article
    view = await create_article(actor, title=new.title, description=new.description, body=new.body,
                                tags=new.tagList or [])
    return ArticleResponse(article=Article.of(view))


@router.get("/{slug}", response_model=ArticleResponse, summary="Read an article", responses=responses(401, 404, 503))
async def get_article(
    slug: Slug, viewer: OptionalActor, get_article: Annotated[GetArticle, provided(Container.get_article)]
) -> ArticleResponse:
    return ArticleResponse(article=Article.of(await get_article(viewer, slug=slug)))


@router.put("/{slug}", response_model=ArticleResponse, summary="Edit an article (author or admin)",
            responses=responses(401, 403, 404, 422, 503))
async def update_article(
    slug: Slug,
    body: UpdateArticleRequest,
    actor: CurrentActor,
    update_article: Annotated[UpdateArticle, provided(Container.update_article)],
) -> ArticleResponse:
    view = await update_article(actor, slug=slug, changes=body.article.changes())
    return ArticleResponse(article=Article.of(view))


@router.delete("/{slug}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               summary="Delete an article (author or admin)", responses=responses(401, 403, 404, 503))
async def delete_article(
    slug: Slug,
    actor: CurrentActor,
    delete_article: Annotated[DeleteArticle, provided(Container.delete_article)],
) -> Response:
    await delete_article(actor, slug=slug)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{slug}/favorite", response_model=ArticleResponse, summary="Favorite an article",
             responses=responses(401, 404, 503))
async def favorite_article(
    slug: Slug,
    actor: CurrentActor,
    favorite_article: Annotated[FavoriteArticle, provided(Container.favorite_article)],
) -> ArticleResponse:
    return ArticleResponse(article=Article.of(await favorite_article(actor, slug=slug)))


@router.delete("/{slug}/favorite", response_model=ArticleResponse, summary="Unfavorite an article",
               responses=responses(401, 404, 503))
async def unfavorite_article(
    slug: Slug,
    actor: CurrentActor,
    unfavorite_article: Annotated[UnfavoriteArticle, provided(Container.unfavorite_article)],
) -> ArticleResponse:
    return ArticleResponse(article=Article.of(await unfavorite_article(actor, slug=slug)))
