"""The SQL read side: each question is one SELECT that returns views, never aggregates."""

from adapters.sql.queries.accounts import SqlAccountQueries
from adapters.sql.queries.articles import SqlArticleQueries
from adapters.sql.queries.comments import SqlCommentQueries
from adapters.sql.queries.tags import SqlTagQueries

__all__ = ["SqlAccountQueries", "SqlArticleQueries", "SqlCommentQueries", "SqlTagQueries"]
