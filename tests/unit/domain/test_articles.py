"""Articles: slugs, tags, required fields and who may edit; comments and who may delete them."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.articles import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    SLUG_SUFFIX_LENGTH,
    TAG_MAX_LENGTH,
    TAGS_PER_ARTICLE,
    TITLE_MAX_LENGTH,
    Article,
    Comment,
    normalized_tags,
    slug_for,
)
from domain.errors import Forbidden, InvalidValue
from domain.ids import new_article_id, new_user_id

NOW = datetime(2026, 2, 1, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AUTHOR, SOMEONE = new_user_id(), new_user_id()


def base(slug: str) -> str:
    return slug[: -(SLUG_SUFFIX_LENGTH + 1)]


def an_article(**overrides: str) -> Article:
    fields = {"title": "How to train your dragon", "description": "Ever wonder how?", "body": "Believe", **overrides}
    return Article.write(author_id=AUTHOR, tags=["dragons"], now=NOW, **fields)


# Slugs.


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("How to train your dragon", "how-to-train-your-dragon"),
        ("  Café à la crème!  ", "cafe-a-la-creme"),
        ("C++ & Rust: 2024", "c-rust-2024"),
        ("Привет, мир", "article"),
        ("🐉🐉", "article"),
        ("---", "article"),
    ],
)
def test_slug_base_keeps_latin_letters_and_digits(title: str, expected: str) -> None:
    assert base(slug_for(title)) == expected


def test_equal_titles_get_different_slugs() -> None:
    assert slug_for("Same title") != slug_for("Same title")


def test_a_long_title_is_cut_without_a_trailing_dash() -> None:
    slug = slug_for("word " * 100)
    assert len(slug) <= SLUG_MAX_LENGTH
    assert SLUG.match(slug)


@given(st.text(max_size=300))
def test_any_title_gives_a_well_formed_bounded_slug(title: str) -> None:
    slug = slug_for(title)
    assert SLUG.match(slug)
    assert len(slug) <= SLUG_MAX_LENGTH
    assert re.fullmatch(r"[a-z0-9]+", slug[-SLUG_SUFFIX_LENGTH:])
    assert slug[-SLUG_SUFFIX_LENGTH - 1] == "-"


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=100))
def test_letter_case_does_not_change_the_slug_base(title: str) -> None:
    assert base(slug_for(title.upper())) == base(slug_for(title.lower()))


# Tags.


def test_tags_are_trimmed_lower_cased_and_deduplicated_in_order() -> None:
    assert normalized_tags([" Dragons", "training", "dragons ", "", "  ", "TRAINING", "fire"]) == (
        "dragons", "training", "fire"
    )


def test_too_long_a_tag_is_refused() -> None:
    assert normalized_tags(["t" * TAG_MAX_LENGTH]) == ("t" * TAG_MAX_LENGTH,)
    with pytest.raises(InvalidValue) as raised:
        normalized_tags(["t" * (TAG_MAX_LENGTH + 1)])
    assert raised.value.field == "tagList"


def test_too_many_tags_are_refused() -> None:
    assert len(normalized_tags([f"t{i}" for i in range(TAGS_PER_ARTICLE)])) == TAGS_PER_ARTICLE
    with pytest.raises(InvalidValue) as raised:
        normalized_tags([f"t{i}" for i in range(TAGS_PER_ARTICLE + 1)])
    assert raised.value.field == "tagList"


def test_duplicates_do_not_count_towards_the_limit() -> None:
    assert normalized_tags(["same"] * (TAGS_PER_ARTICLE + 5)) == ("same",)


def test_text_with_a_null_character_is_refused() -> None:
    with pytest.raises(InvalidValue) as raised:
        normalized_tags(["ok", "bad\x00tag"])
    assert raised.value.field == "tagList"
    with pytest.raises(InvalidValue) as raised:
        an_article(body="a\x00b")
    assert (raised.value.field, raised.value.message) == ("body", "must not contain null characters")


@given(st.lists(st.text(st.characters(exclude_characters="\x00"), max_size=TAG_MAX_LENGTH), max_size=TAGS_PER_ARTICLE))
def test_normalising_twice_changes_nothing(tags: list[str]) -> None:
    once = normalized_tags(tags)
    assert normalized_tags(list(once)) == once
    assert all(tag == tag.strip().lower() and tag for tag in once)


# Writing and editing.


def test_write() -> None:
    article = an_article()
    assert base(article.slug) == "how-to-train-your-dragon"
    assert (article.author_id, article.tags, article.created_at, article.updated_at) == (
        AUTHOR, ("dragons",), NOW, NOW
    )


@pytest.mark.parametrize(
    ("field", "limit"),
    [("title", TITLE_MAX_LENGTH), ("description", DESCRIPTION_MAX_LENGTH), ("body", BODY_MAX_LENGTH)],
)
def test_required_fields(field: str, limit: int) -> None:
    for blank in ("", "   "):
        with pytest.raises(InvalidValue) as raised:
            an_article(**{field: blank})
        assert (raised.value.field, raised.value.message) == (field, "can't be blank")
    assert getattr(an_article(**{field: "x" * limit}), field) == "x" * limit
    with pytest.raises(InvalidValue) as raised:
        an_article(**{field: "x" * (limit + 1)})
    assert raised.value.field == field


def test_the_author_edits() -> None:
    article = an_article()
    article.edit(by=AUTHOR, is_admin=False, now=LATER, body="New body", tags=[])
    assert (article.body, article.tags, article.updated_at) == ("New body", (), LATER)
    assert article.title == "How to train your dragon"


def test_a_new_title_brings_a_new_slug() -> None:
    article = an_article()
    article.edit(by=AUTHOR, is_admin=False, now=LATER, title="Dragons, revisited")
    assert base(article.slug) == "dragons-revisited"


def test_the_same_title_keeps_the_slug() -> None:
    article = an_article()
    slug = article.slug
    article.edit(by=AUTHOR, is_admin=False, now=LATER, title="How to train your dragon")
    assert article.slug == slug


def test_someone_else_may_not_edit() -> None:
    article = an_article()
    with pytest.raises(Forbidden) as raised:
        article.edit(by=SOMEONE, is_admin=False, now=LATER, title="")
    assert raised.value.field == "article"
    assert article.updated_at == NOW


def test_an_admin_may_edit() -> None:
    article = an_article()
    article.edit(by=SOMEONE, is_admin=True, now=LATER, description="Moderated")
    assert article.description == "Moderated"


def test_renew_slug_keeps_the_base() -> None:
    article = an_article()
    slug = article.slug
    article.renew_slug()
    assert article.slug != slug
    assert base(article.slug) == base(slug)


def test_articles_are_equal_by_id() -> None:
    first, second = an_article(), an_article()
    assert first != second
    assert first == first
    assert len({first, first, second}) == 2


# Comments.


def test_comment_body_is_required_and_bounded() -> None:
    article_id = new_article_id()
    with pytest.raises(InvalidValue) as raised:
        Comment.write(article_id=article_id, author_id=AUTHOR, body="  ", now=NOW)
    assert (raised.value.field, raised.value.message) == ("body", "can't be blank")
    with pytest.raises(InvalidValue):
        Comment.write(article_id=article_id, author_id=AUTHOR, body="c" * (COMMENT_MAX_LENGTH + 1), now=NOW)
    assert Comment.write(article_id=article_id, author_id=AUTHOR, body="Nice", now=NOW).id is None


def test_only_the_comment_author_or_an_admin_may_delete() -> None:
    comment = Comment.write(article_id=new_article_id(), author_id=AUTHOR, body="Nice", now=NOW)
    comment.ensure_deletable_by(AUTHOR, is_admin=False)
    comment.ensure_deletable_by(SOMEONE, is_admin=True)
    with pytest.raises(Forbidden) as raised:
        comment.ensure_deletable_by(SOMEONE, is_admin=False)
    assert raised.value.field == "comment"
