"""The in-memory database's committed state and the constraints it keeps, like a relational schema would."""

import copy
from dataclasses import dataclass, field

from domain.articles import Article, Comment
from domain.audit import AuditEntry
from domain.errors import Conflict
from domain.ids import ArticleId, CommentId, JobId, UserId
from domain.jobs import Job
from domain.profiles import Profile
from domain.users import User

TAKEN = "has already been taken"


@dataclass
class MemoryState:
    users: dict[UserId, User] = field(default_factory=dict)
    profiles: dict[UserId, Profile] = field(default_factory=dict)
    articles: dict[ArticleId, Article] = field(default_factory=dict)
    comments: dict[CommentId, Comment] = field(default_factory=dict)
    follows: set[tuple[UserId, UserId]] = field(default_factory=set)
    favorites: set[tuple[UserId, ArticleId]] = field(default_factory=set)
    jobs: dict[JobId, Job] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)  # an entry's id is its place in the list, from 1

    def copy(self) -> "MemoryState":
        return copy.deepcopy(self)

    def put_user(self, user: User) -> None:
        for other in self.users.values():
            if other.id == user.id:
                continue
            if other.email == user.email:
                raise Conflict(TAKEN, field="email")
            if other.username.key == user.username.key:
                raise Conflict(TAKEN, field="username")
        self.users[user.id] = copy.deepcopy(user)

    def put_profile(self, profile: Profile) -> None:
        self.profiles[profile.user_id] = copy.deepcopy(profile)

    def put_article(self, article: Article) -> None:
        if any(other.slug == article.slug and other.id != article.id for other in self.articles.values()):
            raise Conflict(TAKEN, field="slug")
        self.articles[article.id] = copy.deepcopy(article)

    def delete_article(self, article_id: ArticleId) -> None:
        """Cascades to comments and favorites, as the SQL schema's foreign keys do."""
        self.articles.pop(article_id, None)
        self.comments = {key: c for key, c in self.comments.items() if c.article_id != article_id}
        self.favorites = {pair for pair in self.favorites if pair[1] != article_id}

    def put_comment(self, comment: Comment) -> None:
        if comment.article_id in self.articles and comment.id is not None:
            self.comments[comment.id] = copy.deepcopy(comment)

    def delete_comment(self, comment_id: CommentId) -> None:
        self.comments.pop(comment_id, None)

    def add_follow(self, follower: UserId, followee: UserId) -> None:
        if follower in self.users and followee in self.users:
            self.follows.add((follower, followee))

    def remove_follow(self, follower: UserId, followee: UserId) -> None:
        self.follows.discard((follower, followee))

    def add_favorite(self, user_id: UserId, article_id: ArticleId) -> None:
        if user_id in self.users and article_id in self.articles:
            self.favorites.add((user_id, article_id))

    def remove_favorite(self, user_id: UserId, article_id: ArticleId) -> None:
        self.favorites.discard((user_id, article_id))

    def has_job_key(self, key: str | None, *, other_than: JobId) -> bool:
        return key is not None and any(job.key == key and job.id != other_than for job in self.jobs.values())

    def put_job(self, job: Job) -> None:
        """A second job with a key already taken is not stored, like INSERT … ON CONFLICT DO NOTHING."""
        if not self.has_job_key(job.key, other_than=job.id):
            self.jobs[job.id] = copy.deepcopy(job)


@dataclass
class CommentSequence:
    """Hands out comment ids, like a database sequence: never reused, gaps allowed."""

    last: int = 0

    def next(self) -> CommentId:
        self.last += 1
        return CommentId(self.last)
