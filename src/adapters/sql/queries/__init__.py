"""The SQL read side: each question is one SELECT that returns views, never aggregates."""

from adapters.sql.queries.accounts import SqlAccountQueries
from adapters.sql.queries.articles import SqlArticleQueries
from adapters.sql.queries.comments import SqlCommentQueries
from adapters.sql.queries.jobs import SqlJobQueries
from adapters.sql.queries.recipients import SqlRecipientQueries
from adapters.sql.queries.tags import SqlTagQueries
from adapters.sql.queries.user_data import SqlUserDataQueries

__all__ = [
    "SqlAccountQueries", "SqlArticleQueries", "SqlCommentQueries", "SqlJobQueries", "SqlRecipientQueries",
    "SqlTagQueries", "SqlUserDataQueries",
]
