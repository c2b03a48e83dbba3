"""Request and response bodies of articles, comments and tags, in RealWorld's envelopes."""

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, field_validator

from application.use_cases.articles.update_article import ArticleChanges
from application.views import ArticleSummary, ArticleView, CommentView
from domain.articles import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    TAG_MAX_LENGTH,
    TAGS_PER_ARTICLE,
    TITLE_MAX_LENGTH,
)
from entrypoints.http.schemas import rules
from entrypoints.http.schemas.users import Profile


def _timestamp(moment: datetime) -> str:
    """UTC with milliseconds and a Z, e.g. 2016-02-18T03:22:56.637Z: one fixed form, so it round-trips."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


Timestamp = Annotated[datetime, PlainSerializer(_timestamp, return_type=str)]
# Tags are trimmed and lower-cased; blank ones are dropped, so only NUL and the length are refused.
Tag = Annotated[str, rules.text(TAG_MAX_LENGTH), Field(max_length=TAG_MAX_LENGTH)]
TagList = Annotated[list[Tag], Field(max_length=TAGS_PER_ARTICLE)]

# A tag list may be left out, but not sent as null (that would read as "remove every tag" by mistake).
NOT_NULL_TAGS: dict[str, Any] = {
    "type": "array", "maxItems": TAGS_PER_ARTICLE,
    "items": {"type": "string", "pattern": rules.NO_NUL, "maxLength": TAG_MAX_LENGTH},
}

ARTICLE_EXAMPLE: dict[str, Any] = {
    "slug": "how-to-train-your-dragon-x7k2qp",
    "title": "How to train your dragon",
    "description": "Ever wonder how?",
    "body": "It takes a Jacobian",
    "tagList": ["dragons", "training"],
    "createdAt": "2016-02-18T03:22:56.637Z",
    "updatedAt": "2016-02-18T03:48:35.824Z",
    "favorited": False,
    "favoritesCount": 0,
    "author": {"username": "jake", "bio": None, "image": None, "following": False},
}


class NewArticle(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "title": "How to train your dragon", "description": "Ever wonder how?", "body": "You have to believe",
        "tagList": ["reactjs", "angularjs", "dragons"],
    }})
    title: Annotated[str, rules.not_blank(TITLE_MAX_LENGTH)] = Field(max_length=TITLE_MAX_LENGTH)
    description: Annotated[str, rules.not_blank(DESCRIPTION_MAX_LENGTH)] = Field(max_length=DESCRIPTION_MAX_LENGTH)
    body: Annotated[str, rules.not_blank(BODY_MAX_LENGTH)] = Field(max_length=BODY_MAX_LENGTH)
    tagList: TagList | None = None


class NewArticleRequest(BaseModel):
    article: NewArticle


class ArticleChangesBody(BaseModel):
    """Only the fields sent change. `tagList: []` removes every tag; null is refused for every field."""

    model_config = ConfigDict(json_schema_extra={"example": {"body": "With two hands", "tagList": ["dragons"]}})
    title: Annotated[str | None, rules.not_blank(TITLE_MAX_LENGTH)] = Field(default=None, max_length=TITLE_MAX_LENGTH)
    description: Annotated[str | None, rules.not_blank(DESCRIPTION_MAX_LENGTH)] = Field(
        default=None, max_length=DESCRIPTION_MAX_LENGTH)
    body: Annotated[str | None, rules.not_blank(BODY_MAX_LENGTH)] = Field(default=None, max_length=BODY_MAX_LENGTH)
    tagList: Annotated[TagList | None, WithJsonSchema(NOT_NULL_TAGS)] = None

    @field_validator("tagList")
    @classmethod
    def _not_null(cls, tags: list[str] | None) -> list[str]:
        # Runs only when tagList is sent: omitted keeps the tags, null is a mistake worth naming.
        if tags is None:
            raise ValueError("must be a list (use [] to remove every tag)")
        return tags

    def changes(self) -> ArticleChanges:
        """Only what was sent; a required field sent as null counts as blank."""
        sent = {name: getattr(self, name) for name in self.model_fields_set}
        text = {name: ("" if sent[name] is None else sent[name]) for name in ("title", "description", "body")
                if name in sent}
        return ArticleChanges(**text, tags=sent.get("tagList"))


class UpdateArticleRequest(BaseModel):
    article: ArticleChangesBody


class ArticleInList(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {k: v for k, v in ARTICLE_EXAMPLE.items() if k != "body"}})
    slug: str
    title: str
    description: str
    tagList: list[str]
    createdAt: Timestamp
    updatedAt: Timestamp
    favorited: bool
    favoritesCount: int
    author: Profile

    @classmethod
    def of(cls, view: ArticleSummary) -> "ArticleInList":
        return cls(**_summary_fields(view))


class Article(ArticleInList):
    model_config = ConfigDict(json_schema_extra={"example": ARTICLE_EXAMPLE})
    body: str

    @classmethod
    def of(cls, view: ArticleSummary) -> "Article":
        assert isinstance(view, ArticleView)
        return cls(**_summary_fields(view), body=view.body)


def _summary_fields(view: ArticleSummary) -> dict[str, Any]:
    return {
        "slug": view.slug, "title": view.title, "description": view.description, "tagList": list(view.tags),
        "createdAt": view.created_at, "updatedAt": view.updated_at, "favorited": view.favorited,
        "favoritesCount": view.favorites_count, "author": Profile.of(view.author),
    }


class ArticleResponse(BaseModel):
    article: Article


class ArticleListResponse(BaseModel):
    articles: list[ArticleInList]
    articlesCount: int = Field(description="Matches across all pages, not the size of this page.")


class NewComment(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"body": "Thank you so much!"}})
    body: Annotated[str, rules.not_blank(COMMENT_MAX_LENGTH)] = Field(max_length=COMMENT_MAX_LENGTH)


class NewCommentRequest(BaseModel):
    comment: NewComment


class Comment(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "id": 1, "createdAt": "2016-02-18T03:22:56.637Z", "updatedAt": "2016-02-18T03:22:56.637Z",
        "body": "It takes a Jacobian", "author": ARTICLE_EXAMPLE["author"],
    }})
    id: int
    createdAt: Timestamp
    updatedAt: Timestamp
    body: str
    author: Profile

    @classmethod
    def of(cls, view: CommentView) -> "Comment":
        return cls(id=view.id, createdAt=view.created_at, updatedAt=view.updated_at, body=view.body,
                   author=Profile.of(view.author))


class CommentResponse(BaseModel):
    comment: Comment


class CommentListResponse(BaseModel):
    comments: list[Comment]


class TagListResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"tags": ["reactjs", "angularjs"]}})
    tags: list[str]
