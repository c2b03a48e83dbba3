"""MailComposer: every template renders from its sample, nothing renders with a variable missing."""

import pytest
from jinja2 import UndefinedError

from adapters.mail.composer import MailComposer
from application.ports.mail import NEW_ARTICLE, PASSWORD_CHANGED, RESET_PASSWORD, TEMPLATES, VERIFY_EMAIL, Mail

FRONTEND = "https://inkwell.example"
COMPOSER = MailComposer("Inkwell", f"{FRONTEND}/", "Inkwell <noreply@inkwell.example>")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_from_its_sample(template: str) -> None:
    rendered = COMPOSER.render(template, COMPOSER.sample_context(template))
    for part in (rendered.subject, rendered.text, rendered.html):
        assert part.strip()
        assert "Inkwell" in part
    assert "ada@example.com" in rendered.text
    assert rendered.html.lstrip().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("template", [VERIFY_EMAIL, RESET_PASSWORD])
def test_a_call_to_action_carries_the_link_in_both_parts(template: str) -> None:
    context = COMPOSER.sample_context(template)
    rendered = COMPOSER.render(template, context)
    assert context["link"].startswith(f"{FRONTEND}/")
    assert context["link"] in rendered.text
    assert f'href="{context["link"]}"' in rendered.html


def test_the_verification_mail_says_how_long_the_link_works() -> None:
    context = {**COMPOSER.sample_context(VERIFY_EMAIL), "expires_hours": 1}
    assert "works for 1 hour." in COMPOSER.render(VERIFY_EMAIL, context).text
    context["expires_hours"] = 48
    assert "works for 48 hours." in COMPOSER.render(VERIFY_EMAIL, context).text


def test_the_reset_mail_says_to_ignore_it_if_you_did_not_ask() -> None:
    rendered = COMPOSER.render(RESET_PASSWORD, COMPOSER.sample_context(RESET_PASSWORD))
    assert "If you did not ask for this, ignore this mail" in rendered.text
    assert "If you did not ask for this, ignore this mail" in rendered.html


def test_the_password_changed_mail_points_to_the_frontend_to_reset() -> None:
    rendered = COMPOSER.render(PASSWORD_CHANGED, COMPOSER.sample_context(PASSWORD_CHANGED))
    assert f"If it was not you, reset your password at {FRONTEND} " in rendered.text
    assert f'<a href="{FRONTEND}">{FRONTEND}</a>' in rendered.html


def test_the_new_article_mail_names_author_and_title_and_links_to_it() -> None:
    context = {**COMPOSER.sample_context(NEW_ARTICLE), "title": "Tom & Jerry", "link": f"{FRONTEND}/article/tom"}
    rendered = COMPOSER.render(NEW_ARTICLE, context)
    assert rendered.subject == "New on Inkwell: Tom & Jerry"
    assert "grace" in rendered.text
    assert "Tom & Jerry" in rendered.text
    assert "Tom &amp; Jerry" in rendered.html
    assert f"{FRONTEND}/article/tom" in rendered.text


def test_a_new_article_without_a_link_renders_without_one() -> None:
    rendered = COMPOSER.render(NEW_ARTICLE, {**COMPOSER.sample_context(NEW_ARTICLE), "link": None})
    assert "Read it" not in rendered.text
    assert "None" not in rendered.text
    assert "None" not in rendered.html


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_missing_variable_fails_instead_of_rendering_empty(template: str) -> None:
    context = COMPOSER.sample_context(template)
    del context["username"]
    with pytest.raises(UndefinedError, match="username"):
        COMPOSER.render(template, context)


def test_an_unknown_template_is_refused_with_the_known_ones() -> None:
    known = "verify_email, reset_password, password_changed, new_article"
    with pytest.raises(ValueError, match=f"'welcome_back'.*{known}"):
        COMPOSER.render("welcome_back", {})
    with pytest.raises(ValueError, match="welcome_back"):
        COMPOSER.sample_context("welcome_back")


def test_a_mail_may_not_redefine_what_the_composer_supplies() -> None:
    mail = Mail(PASSWORD_CHANGED, "ada@example.com", {"username": "ada", "frontend_url": "https://evil.example"})
    with pytest.raises(ValueError, match="frontend_url"):
        COMPOSER.compose(mail)


def test_message_ids_derive_from_the_key_within_the_sender_domain() -> None:
    def message_id(key: str | None) -> str:
        message = COMPOSER.compose(Mail(PASSWORD_CHANGED, "ada@example.com", {"username": "ada"}, key=key))
        return str(message["Message-ID"])

    assert message_id("job-1") == message_id("job-1")
    assert message_id("job-1") != message_id("job-2")
    assert message_id(None) != message_id(None)
    assert all(message_id(key).endswith("@inkwell.example>") for key in ("job-1", None))


@pytest.mark.parametrize("sender", ["", "Inkwell", "Inkwell <>"])
def test_the_sender_must_be_an_address(sender: str) -> None:
    with pytest.raises(ValueError, match="sender"):
        MailComposer("Inkwell", FRONTEND, sender)
