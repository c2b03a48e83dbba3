"""A published article is mailed to its author's verified, active followers: once each, in batches of at
most 100, however often a job of the fan-out runs."""

from collections import Counter
from collections.abc import Sequence

from dependency_injector import providers
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.memory.mailer import MemoryMailer
from application.actor import Actor
from application.errors import DependencyUnavailable
from application.jobs.catalog import FanOutNewArticle, NotifyFollowers
from application.ports.mail import Mail, Mailer
from application.use_cases.mail.fan_out_new_article import BATCH_SIZE
from application.use_cases.mail.notify_followers import CHUNK_SIZE, resume_index
from domain.ids import UserId
from domain.jobs import JobStatus
from domain.profiles import Profile
from domain.users import Email, User, Username
from tests.builders import FRONTEND_URL, App, an_article, an_author, change_user, jobs_of


async def followers(app: App, author: Actor, verified: Sequence[bool]) -> list[UserId]:
    """One follower of `author` per flag, verified or not as the flag says, all stored in one transaction
    and without the verification mail a registration would queue: hundreds of followers stay quick."""
    now = app.clock.now()
    made: list[UserId] = []
    async with app.uow() as uow:
        for number, is_verified in enumerate(verified):
            user = User.register(email=Email(f"reader{number}@example.com"), username=Username(f"reader{number}"),
                                 password_hash="-", now=now)
            user.pull_events()
            if is_verified:
                user.verify_email(now=now)
            await uow.users.add(user)
            await uow.profiles.add(Profile(user.id))
            await uow.follows.add(user.id, author.user_id)
            made.append(user.id)
        await uow.commit()
    return made


def addresses(app: App, user_ids: Sequence[UserId]) -> list[str]:
    return [app.db.users[user_id].email.value for user_id in user_ids]


def article_mails(mails: Sequence[Mail]) -> list[Mail]:
    return [mail for mail in mails if mail.template == "new_article"]


async def test_verified_active_followers_are_told_of_a_new_article(app: App, ann: Actor) -> None:
    verified, _, deactivated = await followers(app, ann, [True, False, True])
    await change_user(app, deactivated, lambda user: user.deactivate(now=app.clock.now()))
    article = await an_article(app, ann)
    await app.run_jobs()
    [mail] = article_mails(app.mailer.sent)
    assert mail.to == addresses(app, [verified])[0]
    assert mail.link == f"{FRONTEND_URL}/article/{article.slug}"
    assert mail.context == {"username": "reader0", "author": "ann", "title": article.title,
                            "description": article.description}


async def test_nobody_else_is_told(app: App, ann: Actor, rob: Actor) -> None:
    await followers(app, rob, [True, True])
    await an_article(app, ann)
    await app.run_jobs()
    assert article_mails(app.mailer.sent) == []
    [fan_out] = jobs_of(app, FanOutNewArticle.TYPE)
    assert fan_out.result == {"recipients": 0}
    assert jobs_of(app, NotifyFollowers.TYPE) == []


async def test_a_follower_who_left_before_the_batch_ran_is_skipped(app: App, ann: Actor) -> None:
    stays, leaves = await followers(app, ann, [True, True])
    await an_article(app, ann)
    await app.container.relay_jobs()()
    await app.queue.run_waiting(app.container.run_job())  # the fan-out: the batch is made
    await change_user(app, leaves, lambda user: user.deactivate(now=app.clock.now()))
    await app.run_jobs()
    assert [mail.to for mail in article_mails(app.mailer.sent)] == addresses(app, [stays])


async def test_a_deleted_article_is_mailed_to_nobody(app: App, ann: Actor) -> None:
    await followers(app, ann, [True])
    article = await an_article(app, ann)
    await app.container.relay_jobs()()
    await app.queue.run_waiting(app.container.run_job())
    await app.delete_article()(ann, slug=article.slug)
    await app.run_jobs()
    assert article_mails(app.mailer.sent) == []
    [batch] = jobs_of(app, NotifyFollowers.TYPE)
    assert (batch.status, batch.result) == (JobStatus.SUCCEEDED, {"sent": 0})


def with_batch_size(app: App, size: int) -> App:
    """The container's fan-out handler with smaller pages: every in-memory transaction copies the whole
    state, so hundreds of followers per example would make the property below take minutes."""
    app.container.job_handlers.kwargs[FanOutNewArticle.TYPE].add_kwargs(batch_size=size)
    return app


SMALL_BATCH = 10


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=3 * SMALL_BATCH + 5).flatmap(
    lambda n: st.lists(st.booleans(), min_size=n, max_size=n)))
async def test_every_verified_follower_is_mailed_once_in_batches_of_a_page_at_most(verified: list[bool]) -> None:
    app = with_batch_size(App(), SMALL_BATCH)
    ann = await an_author(app, "ann")
    readers = await followers(app, ann, verified)
    await an_article(app, ann)
    await app.run_jobs()
    assert Counter(mail.to for mail in article_mails(app.mailer.sent)) == Counter(
        addresses(app, [reader for reader, is_verified in zip(readers, verified, strict=True) if is_verified])
    )
    assert all(0 < len(batch.payload["recipients"]) <= SMALL_BATCH for batch in jobs_of(app, NotifyFollowers.TYPE))
    assert all(job.status is JobStatus.SUCCEEDED for job in app.db.jobs.values())


async def test_a_hundred_and_one_verified_followers_make_two_batches(app: App, ann: Actor) -> None:
    verified = [True] * (BATCH_SIZE + 1) + [False] * 20
    readers = await followers(app, ann, verified)
    await an_article(app, ann)
    await app.run_jobs()
    sizes = sorted(len(batch.payload["recipients"]) for batch in jobs_of(app, NotifyFollowers.TYPE))
    assert sizes == [1, BATCH_SIZE]
    assert Counter(mail.to for mail in article_mails(app.mailer.sent)) == Counter(
        addresses(app, readers[: BATCH_SIZE + 1])
    )


async def test_a_fan_out_run_twice_queues_no_batch_twice(app: App, ann: Actor) -> None:
    with_batch_size(app, SMALL_BATCH)
    readers = await followers(app, ann, [True] * (SMALL_BATCH + 5))
    await an_article(app, ann)
    await app.container.relay_jobs()()
    [fan_out] = jobs_of(app, FanOutNewArticle.TYPE)
    lifecycle = app.container.job_lifecycle()
    attempt = await lifecycle.begin(fan_out.id)
    assert attempt is not None
    await app.container.perform_job()(fan_out.id, attempt)  # the worker dies before recording the outcome
    app.clock.advance(lifecycle.lease)
    await app.container.run_job()(fan_out.id)  # the redelivery runs the whole page again
    assert app.db.jobs[fan_out.id].attempts == 2
    await app.run_jobs()
    assert len(jobs_of(app, NotifyFollowers.TYPE)) == 2
    assert len(jobs_of(app, FanOutNewArticle.TYPE)) == 2
    assert Counter(mail.to for mail in article_mails(app.mailer.sent)) == Counter(addresses(app, readers))


class FlakyMailer(Mailer):
    """Fails the `fail_on`-th send of article mails (counting from 1), once; delivers all else."""

    def __init__(self, *, fail_on: int) -> None:
        self.inner = MemoryMailer()
        self._fail_on = fail_on
        self._sends = 0

    async def send(self, mails: Sequence[Mail]) -> None:
        if article_mails(mails):
            self._sends += 1
            if self._sends == self._fail_on:
                raise DependencyUnavailable("smtp")
        await self.inner.send(mails)


async def test_a_retried_batch_resumes_after_the_chunks_it_sent(app: App, ann: Actor) -> None:
    mailer = FlakyMailer(fail_on=2)
    app.container.mail.mailer.override(providers.Object(mailer))
    readers = await followers(app, ann, [True] * 60)  # chunks of 25, 25 and 10
    await an_article(app, ann)
    await app.run_jobs()
    [batch] = jobs_of(app, NotifyFollowers.TYPE)
    assert (batch.status, batch.progress) == (JobStatus.RETRYING, CHUNK_SIZE * 100 // 60)
    assert len(article_mails(mailer.inner.sent)) == CHUNK_SIZE
    app.clock.advance(batch.run_after - app.clock.now())
    await app.run_jobs()
    done = app.db.jobs[batch.id]
    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 2)
    assert Counter(mail.to for mail in article_mails(mailer.inner.sent)) == Counter(addresses(app, readers))


async def test_progress_is_reported_after_each_chunk(app: App, ann: Actor) -> None:
    await followers(app, ann, [True] * 60)
    await an_article(app, ann)
    await app.run_jobs()
    [batch] = jobs_of(app, NotifyFollowers.TYPE)
    assert (batch.progress, batch.result) == (100, {"sent": 60})


@given(st.integers(min_value=1, max_value=BATCH_SIZE).flatmap(
    lambda total: st.tuples(st.just(total), st.integers(min_value=0, max_value=total))))
def test_the_progress_of_whole_chunks_gives_back_where_to_resume(total_and_done: tuple[int, int]) -> None:
    total, done = total_and_done
    assert resume_index(done * 100 // total, total) == done


@given(st.integers(min_value=1, max_value=BATCH_SIZE))
def test_each_chunk_boundary_is_resumed_exactly(total: int) -> None:
    for done in [*range(0, total, CHUNK_SIZE), total]:
        assert resume_index(done * 100 // total, total) == done


def test_resume_index_of_nothing_and_everything() -> None:
    assert resume_index(0, 60) == 0
    assert resume_index(100, 60) == 60
    assert resume_index(41, 60) == 25

