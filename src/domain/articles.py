"""The Article aggregate, its slug and tags, and the Comment entity, with who may change them."""

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import NUL, NUL_MESSAGE, Forbidden, InvalidValue
from domain.events import ArticlePublished, DomainEvent
from domain.ids import ArticleId, CommentId, UserId, new_article_id

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 1000
BODY_MAX_LENGTH = 100_000
COMMENT_MAX_LENGTH = 10_000
TAG_MAX_LENGTH = 40
TAGS_PER_ARTICLE = 20
SLUG_BASE_MAX_LENGTH = 80
SLUG_SUFFIX_LENGTH = 6
SLUG_MAX_LENGTH = SLUG_BASE_MAX_LENGTH + 1 + SLUG_SUFFIX_LENGTH

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def slug_for(title: str) -> str:
    """A URL-safe slug: the title's Latin letters and digits, then a random suffix so equal titles differ.

    Accents are folded (`Café` → `cafe`); a title with no Latin letters or digits at all
    (Cyrillic, CJK, emoji) gets the base `article`.
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    base = _NOT_SLUG.sub("-", folded).strip("-")[:SLUG_BASE_MAX_LENGTH].rstrip("-") or "article"
    suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))
    return f"{base}-{suffix}"


def normalized_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Trimmed and lower-cased, blanks dropped, duplicates removed, first occurrence order kept."""
    seen: dict[str, None] = {}
    for tag in tags:
        name = tag.strip().lower()
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise InvalidValue(f"must be at most {TAG_MAX_LENGTH} characters each", field="tagList")
        if NUL in name:
            raise InvalidValue(NUL_MESSAGE, field="tagList")
        seen.setdefault(name, None)
    if len(seen) > TAGS_PER_ARTICLE:
        raise InvalidValue(f"must have at most {TAGS_PER_ARTICLE} tags", field="tagList")
    return tuple(seen)


def _required_text(value: str, *, field: str, max_length: int) -> str:
    if not value or not value.strip():
        raise InvalidValue("can't be blank", field=field)
    if len(value) > max_length:
        raise InvalidValue(f"is too long (maximum is {max_length} characters)", field=field)
    if NUL in value:
        raise InvalidValue(NUL_MESSAGE, field=field)
    return value


@dataclass(eq=False, slots=True)
class Article:
    id: ArticleId
    slug: str
    author_id: UserId
    title: str
    description: str
    body: str
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    events: list[DomainEvent] = field(default_factory=list, repr=False)

    @classmethod
    def write(
        cls, *, author_id: UserId, title: str, description: str, body: str, tags: list[str], now: datetime
    ) -> "Article":
        title = _required_text(title, field="title", max_length=TITLE_MAX_LENGTH)
        article = cls(
            id=new_article_id(),
            slug=slug_for(title),
            author_id=author_id,
            title=title,
            description=_required_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH),
            body=_required_text(body, field="body", max_length=BODY_MAX_LENGTH),
            tags=normalized_tags(tags),
            created_at=now,
            updated_at=now,
        )
        article.events.append(ArticlePublished(article.id, author_id))
        return article

    def pull_events(self) -> list[DomainEvent]:
        """The events recorded since the last pull; they leave the aggregate with the transaction that stores it."""
        events, self.events = self.events, []
        return events

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Article) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def ensure_editable_by(self, user_id: UserId, *, is_admin: bool) -> None:
        if user_id != self.author_id and not is_admin:
            raise Forbidden("forbidden", field="article")

    def edit(
        self,
        *,
        by: UserId,
        is_admin: bool,
        now: datetime,
        title: str | None = None,
        description: str | None = None,
        body: str | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """Change what is given; a new title brings a new slug. Only the author or an admin may."""
        self.ensure_editable_by(by, is_admin=is_admin)
        if title is not None and title != self.title:
            self.title = _required_text(title, field="title", max_length=TITLE_MAX_LENGTH)
            self.slug = slug_for(title)
        if description is not None:
            self.description = _required_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH)
        if body is not None:
            self.body = _required_text(body, field="body", max_length=BODY_MAX_LENGTH)
        if tags is not None:
            self.tags = normalized_tags(tags)
        self.updated_at = now

    def renew_slug(self) -> None:
        """Pick another random suffix, after the chosen slug turned out to be taken."""
        self.slug = slug_for(self.title)


@dataclass(eq=False, slots=True)
class Comment:
    article_id: ArticleId
    author_id: UserId
    body: str
    created_at: datetime
    updated_at: datetime
    id: CommentId | None = None  # assigned when stored

    @classmethod
    def write(cls, *, article_id: ArticleId, author_id: UserId, body: str, now: datetime) -> "Comment":
        body = _required_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
        return cls(article_id=article_id, author_id=author_id, body=body, created_at=now, updated_at=now)

    def ensure_deletable_by(self, user_id: UserId, *, is_admin: bool) -> None:
        if user_id != self.author_id and not is_admin:
            raise Forbidden("forbidden", field="comment")
