"""Page: bounded limit and offset."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Page


def test_defaults() -> None:
    assert (Page().limit, Page().offset) == (DEFAULT_LIMIT, 0)


@given(st.integers(min_value=1, max_value=MAX_LIMIT), st.integers(min_value=0, max_value=MAX_OFFSET))
def test_any_limit_and_offset_in_bounds_are_accepted(limit: int, offset: int) -> None:
    page = Page(limit=limit, offset=offset)
    assert (page.limit, page.offset) == (limit, offset)


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_LIMIT + 1)))
def test_a_limit_out_of_bounds_is_refused(limit: int) -> None:
    with pytest.raises(InvalidValue) as raised:
        Page(limit=limit)
    assert raised.value.field == "limit"


@given(st.one_of(st.integers(max_value=-1), st.integers(min_value=MAX_OFFSET + 1)))
def test_an_offset_out_of_bounds_is_refused(offset: int) -> None:
    with pytest.raises(InvalidValue) as raised:
        Page(offset=offset)
    assert raised.value.field == "offset"
