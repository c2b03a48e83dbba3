"""Read side of articles: one SELECT per article or per page, with author, viewer flags, counts and total."""

from dataclasses import fields
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    Select,
    Subquery,
    bindparam,
    exists,
    false,
    func,
    select,
    true,
)

from adapters.sql.queries.authors import (
    AnyRow,
    profile_columns,
    profile_of,
    the_viewer,
    viewer_parameters,
    with_profile,
)
from adapters.sql.reader import SqlReader
from adapters.sql.tables import article_tags, article_totals, articles, favorites, follows, tags, users
from application.ports.queries import ArticleFilter, ArticleQueries
from application.views import ArticlePage, ArticleSummary, ArticleView
from domain.ids import UserId
from domain.paging import Page

_NEWEST_FIRST = (articles.c.created_at.desc(), articles.c.id.desc())


class _Filters(NamedTuple):
    """Which filters a listing applies: the shape of its statement. Their values are bound parameters."""

    tag: bool = False
    author: bool = False
    favorited_by: bool = False
    feed: bool = False


def _filters(criteria: ArticleFilter) -> tuple[_Filters, dict[str, Any]]:
    """The shape of a listing's statement and the values it runs with, normalised as stored: tags are
    lower case, usernames match in any letter case."""
    shape = _Filters(tag=criteria.tag is not None, author=criteria.author is not None,
                     favorited_by=criteria.favorited_by is not None)
    values = {
        "tag": None if criteria.tag is None else criteria.tag.strip().lower(),
        "author": None if criteria.author is None else criteria.author.lower(),
        "favorited_by": None if criteria.favorited_by is None else criteria.favorited_by.lower(),
    }
    return shape, {name: value for name, value in values.items() if value is not None}


def _summary_columns(signed_in: bool) -> list[ColumnElement[Any]]:
    """Everything a list shows of an article (no body); the tags come from the `tag_list` copy."""
    favorited = (
        exists().where(favorites.c.user_id == the_viewer(), favorites.c.article_id == articles.c.id) if signed_in
        else false()
    )
    # Correlated, so that it is computed for the rows shown only: the (article_id, user_id) index answers it.
    favorites_count = select(func.count()).where(favorites.c.article_id == articles.c.id).scalar_subquery()
    return [
        articles.c.slug,
        articles.c.title,
        articles.c.description,
        articles.c.tag_list,
        articles.c.created_at,
        articles.c.updated_at,
        favorited.label("favorited"),
        favorites_count.label("favorites_count"),
        *profile_columns(signed_in, articles.c.author_id),
    ]


def _user_named(parameter: str) -> ScalarSelect[Any]:
    """The id of the user whose lower-cased name is in `parameter` (the lower(username) index), or NULL."""
    return select(users.c.id).where(func.lower(users.c.username) == bindparam(parameter)).scalar_subquery()


def _tag_id() -> ScalarSelect[Any]:
    return select(tags.c.id).where(tags.c.name == bindparam("tag")).scalar_subquery()


def _conditions(filters: _Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.tag:
        tag_id = _tag_id()
        conditions.append(articles.c.id.in_(select(article_tags.c.article_id).where(article_tags.c.tag_id == tag_id)))
    if filters.author:
        conditions.append(articles.c.author_id == _user_named("author"))
    if filters.favorited_by:
        fan = _user_named("favorited_by")
        conditions.append(articles.c.id.in_(select(favorites.c.article_id).where(favorites.c.user_id == fan)))
    if filters.feed:
        followed = select(follows.c.followee_id).where(follows.c.follower_id == the_viewer())
        conditions.append(articles.c.author_id.in_(followed))
    return conditions


@cache
def _article_statement(signed_in: bool) -> Select[Any]:
    return (
        select(*_summary_columns(signed_in), articles.c.body)
        .select_from(with_profile(articles, articles.c.author_id))
        .where(articles.c.slug == bindparam("slug"))
    )


def _chosen(filters: _Filters, dialect: str) -> Subquery:
    """The ids of the page's articles, chosen by the cheapest way to each kind of page:
    - a tag alone, or a fan's favorites: a range of the tag's links or of the fan's favorites, which
      carry their article's creation time;
    - the feed on PostgreSQL: the newest articles of each followed author (a range of the author
      index each), merged; the cost follows the number of followed authors, not of articles;
    - otherwise the newest-first (or an author's) index of articles, filtered.
    """
    limit, offset = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
    if filters == _Filters(tag=True):
        newest = (article_tags.c.article_created_at.desc(), article_tags.c.article_id.desc())
        return (
            select(article_tags.c.article_id.label("id"))
            .where(article_tags.c.tag_id == _tag_id())
            .order_by(*newest).limit(limit).offset(offset)
            .subquery("page")
        )
    if filters == _Filters(favorited_by=True):
        newest = (favorites.c.article_created_at.desc(), favorites.c.article_id.desc())
        return (
            select(favorites.c.article_id.label("id"))
            .where(favorites.c.user_id == _user_named("favorited_by"))
            .order_by(*newest).limit(limit).offset(offset)
            .subquery("page")
        )
    if filters == _Filters(feed=True) and dialect == "postgresql":
        latest = (
            select(articles.c.id, articles.c.created_at)
            .where(articles.c.author_id == follows.c.followee_id)
            .order_by(*_NEWEST_FIRST).limit(limit + offset)
            .lateral("latest")
        )
        return (
            select(latest.c.id)
            .select_from(follows.join(latest, true()))
            .where(follows.c.follower_id == the_viewer())
            .order_by(latest.c.created_at.desc(), latest.c.id.desc()).limit(limit).offset(offset)
            .subquery("page")
        )
    return (
        select(articles.c.id)
        .where(*_conditions(filters))
        .order_by(*_NEWEST_FIRST).limit(limit).offset(offset)
        .subquery("page")
    )


@cache
def _page_statement(filters: _Filters, signed_in: bool, dialect: str) -> Select[Any]:
    """The page's rows, each carrying the number of all matches.

    The page is chosen among the matches on articles' columns alone; only its rows are then joined to
    their authors and given their flags and counts. The total is a separate, uncorrelated subquery,
    computed once. A `count(*) OVER ()` window over the matches would give it too, but PostgreSQL
    costs a LIMIT above a window as if it could stop after one page, and so walks the whole
    newest-first index for a tag filter instead of starting from its links (on the 10,000 articles
    of scripts/explain_listing.py: 7.5 ms against 2.4 ms for the most used tag).
    """
    chosen = _chosen(filters, dialect)
    total = _total_statement(filters).correlate(None).scalar_subquery()
    joined = with_profile(chosen.join(articles, articles.c.id == chosen.c.id), articles.c.author_id)
    return select(*_summary_columns(signed_in), total.label("total")).select_from(joined).order_by(*_NEWEST_FIRST)


@cache
def _total_statement(filters: _Filters) -> Select[Any]:
    """The number of matches. With one filter or none it is read from the counts the database keeps
    (see `tables`), at the same cost for a hundred articles as for a million; combined filters match
    few articles and count them."""
    applied = [name for name, on in filters._asdict().items() if on]
    if not applied:
        return select(func.coalesce(func.max(article_totals.c.articles), 0))
    if applied == ["tag"]:
        return select(func.coalesce(func.max(tags.c.articles_count), 0)).where(tags.c.name == bindparam("tag"))
    if applied in (["author"], ["favorited_by"]):
        kept = users.c.articles_count if applied == ["author"] else users.c.favorites_count
        return select(func.coalesce(func.max(kept), 0)).where(func.lower(users.c.username) == bindparam(applied[0]))
    if applied == ["feed"]:
        followed = follows.join(users, users.c.id == follows.c.followee_id)
        return (
            select(func.coalesce(func.sum(users.c.articles_count), 0))
            .select_from(followed)
            .where(follows.c.follower_id == the_viewer())
        )
    return select(func.count()).select_from(articles).where(*_conditions(filters))


def _summary(row: AnyRow) -> ArticleSummary:
    return ArticleSummary(
        slug=row.slug,
        title=row.title,
        description=row.description,
        tags=tuple(row.tag_list),
        created_at=row.created_at,
        updated_at=row.updated_at,
        favorited=bool(row.favorited),
        favorites_count=row.favorites_count,
        author=profile_of(row),
    )


class SqlArticleQueries(ArticleQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def article(self, slug: str, *, viewer: UserId | None) -> ArticleView | None:
        statement = _article_statement(viewer is not None)
        row = (await self._reader.run(statement, {"slug": slug, **viewer_parameters(viewer)})).one_or_none()
        if row is None:
            return None
        summary = _summary(row)
        return ArticleView(**{field.name: getattr(summary, field.name) for field in fields(summary)}, body=row.body)

    async def articles(self, criteria: ArticleFilter, page: Page, *, viewer: UserId | None) -> ArticlePage:
        filters, values = _filters(criteria)
        return await self._page(filters, values, page, viewer)

    async def feed(self, page: Page, *, viewer: UserId) -> ArticlePage:
        return await self._page(_Filters(feed=True), {}, page, viewer)

    async def _page(self, filters: _Filters, values: dict[str, Any], page: Page, viewer: UserId | None) -> ArticlePage:
        values = {**values, **viewer_parameters(viewer)}
        statement = _page_statement(filters, viewer is not None, self._reader.dialect)
        rows = (await self._reader.run(statement, {**values, "limit": page.limit, "offset": page.offset})).all()
        if rows:
            return ArticlePage(articles=[_summary(row) for row in rows], total=rows[0].total)
        if page.offset == 0:
            return ArticlePage(articles=[], total=0)
        # Past the last match no row carries the total: only then is it counted on its own.
        total = (await self._reader.run(_total_statement(filters), values)).scalar_one()
        return ArticlePage(articles=[], total=total)
