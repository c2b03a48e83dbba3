"""The "your password was changed" mail: sent after every password change, and after nothing else."""

from application.jobs.catalog import SendPasswordChangedMail
from application.use_cases.auth.register import SignedIn
from application.use_cases.users.update_user import AccountChanges
from tests.builders import App, an_actor, forget_user, jobs_of

NEW_PASSWORD = "a brand new secret"


def changed_mails(app: App) -> list[str]:
    return [mail.to for mail in app.mailer.sent if mail.template == "password_changed"]


async def test_a_new_password_set_in_the_account_is_mailed_about(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(password=NEW_PASSWORD))
    await app.run_jobs()
    assert changed_mails(app) == ["jake@example.com"]
    [mail] = [mail for mail in app.mailer.sent if mail.template == "password_changed"]
    assert mail.link is None
    assert mail.key == str(jobs_of(app, SendPasswordChangedMail.TYPE)[0].id)


async def test_other_account_changes_send_no_such_mail(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(username="jacob", bio="hello"))
    await app.run_jobs()
    assert changed_mails(app) == []
    assert jobs_of(app, SendPasswordChangedMail.TYPE) == []


async def test_the_mail_goes_to_the_address_the_user_has_when_it_is_sent(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(password=NEW_PASSWORD, email="jacob@example.com"))
    await app.run_jobs()
    assert changed_mails(app) == ["jacob@example.com"]


async def test_nothing_is_sent_for_an_account_gone_before_the_job_ran(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(password=NEW_PASSWORD))
    forget_user(app, jake.account.user_id)
    await app.run_jobs()
    assert changed_mails(app) == []
    assert jobs_of(app, SendPasswordChangedMail.TYPE)[0].result == {"sent": False}
