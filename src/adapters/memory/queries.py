"""In-memory read side over the committed state of a MemoryDatabase."""

from collections import Counter
from dataclasses import fields

from adapters.memory.database import MemoryDatabase
from adapters.memory.state import MemoryState
from application.ports.queries import (
    AccountQueries,
    ArticleFilter,
    ArticleQueries,
    CommentQueries,
    PrincipalQueries,
    TagQueries,
)
from application.views import (
    AccountView,
    ArticlePage,
    ArticleSummary,
    ArticleView,
    CommentView,
    Principal,
    ProfileView,
)
from domain.articles import Article
from domain.ids import CommentId, UserId
from domain.paging import Page


def _profile(state: MemoryState, user_id: UserId, viewer: UserId | None) -> ProfileView:
    user, profile = state.users[user_id], state.profiles[user_id]
    return ProfileView(
        username=user.username.value,
        bio=profile.bio,
        image=profile.image,
        following=viewer is not None and (viewer, user_id) in state.follows,
    )


def _user_id(state: MemoryState, username: str) -> UserId | None:
    key = username.lower()
    return next((u.id for u in state.users.values() if u.username.key == key), None)


class MemoryPrincipalQueries(PrincipalQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def principal(self, user_id: UserId) -> Principal | None:
        user = self._db.state.users.get(user_id)
        if user is None:
            return None
        return Principal(user_id=user.id, role=user.role, is_active=user.is_active, cutoff=user.session_cutoff)


class MemoryAccountQueries(AccountQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def account(self, user_id: UserId) -> AccountView | None:
        state = self._db.state
        user, profile = state.users.get(user_id), state.profiles.get(user_id)
        if user is None or profile is None:
            return None
        return AccountView(
            user_id=user.id, email=user.email.value, username=user.username.value,
            bio=profile.bio, image=profile.image, role=user.role, email_verified=user.is_verified,
        )

    async def profile(self, username: str, *, viewer: UserId | None) -> ProfileView | None:
        state = self._db.state
        user_id = _user_id(state, username)
        return None if user_id is None else _profile(state, user_id, viewer)


class MemoryArticleQueries(ArticleQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def article(self, slug: str, *, viewer: UserId | None) -> ArticleView | None:
        state = self._db.state
        article = next((a for a in state.articles.values() if a.slug == slug), None)
        if article is None:
            return None
        summary = _summary(state, article, viewer)
        return ArticleView(**{f.name: getattr(summary, f.name) for f in fields(summary)}, body=article.body)

    async def articles(self, criteria: ArticleFilter, page: Page, *, viewer: UserId | None) -> ArticlePage:
        state = self._db.state
        matches = [a for a in state.articles.values() if _matches(state, a, criteria)]
        return _page(state, matches, page, viewer)

    async def feed(self, page: Page, *, viewer: UserId) -> ArticlePage:
        state = self._db.state
        followed = {followee for follower, followee in state.follows if follower == viewer}
        return _page(state, [a for a in state.articles.values() if a.author_id in followed], page, viewer)


def _matches(state: MemoryState, article: Article, criteria: ArticleFilter) -> bool:
    if criteria.tag is not None and criteria.tag.strip().lower() not in article.tags:
        return False
    if criteria.author is not None and article.author_id != _user_id(state, criteria.author):
        return False
    if criteria.favorited_by is not None:
        fan = _user_id(state, criteria.favorited_by)
        if fan is None or (fan, article.id) not in state.favorites:
            return False
    return True


def _page(state: MemoryState, matches: list[Article], page: Page, viewer: UserId | None) -> ArticlePage:
    newest_first = sorted(matches, key=lambda a: (a.created_at, a.id), reverse=True)
    chosen = newest_first[page.offset : page.offset + page.limit]
    return ArticlePage(articles=[_summary(state, a, viewer) for a in chosen], total=len(matches))


def _summary(state: MemoryState, article: Article, viewer: UserId | None) -> ArticleSummary:
    fans = {user for user, article_id in state.favorites if article_id == article.id}
    return ArticleSummary(
        slug=article.slug,
        title=article.title,
        description=article.description,
        tags=article.tags,
        created_at=article.created_at,
        updated_at=article.updated_at,
        favorited=viewer in fans,
        favorites_count=len(fans),
        author=_profile(state, article.author_id, viewer),
    )


class MemoryCommentQueries(CommentQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def comments(self, slug: str, *, viewer: UserId | None) -> list[CommentView] | None:
        state = self._db.state
        article = next((a for a in state.articles.values() if a.slug == slug), None)
        if article is None:
            return None
        on_article = sorted((c for c in state.comments.values() if c.article_id == article.id),
                            key=lambda c: (c.created_at, c.id or 0))
        return [_comment(state, comment_id, viewer) for comment_id in (c.id for c in on_article) if comment_id]

    async def comment(self, comment_id: CommentId, *, viewer: UserId | None) -> CommentView | None:
        state = self._db.state
        return _comment(state, comment_id, viewer) if comment_id in state.comments else None


def _comment(state: MemoryState, comment_id: CommentId, viewer: UserId | None) -> CommentView:
    comment = state.comments[comment_id]
    return CommentView(
        id=comment_id, body=comment.body, created_at=comment.created_at, updated_at=comment.updated_at,
        author=_profile(state, comment.author_id, viewer),
    )


class MemoryTagQueries(TagQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def tags(self) -> list[str]:
        uses = Counter(tag for article in self._db.state.articles.values() for tag in article.tags)
        return [tag for tag, _ in sorted(uses.items(), key=lambda item: (-item[1], item[0]))]
