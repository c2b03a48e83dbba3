"""Fixtures for the use-case tests: a fresh set of in-memory adapters per test."""

import pytest

from application.actor import Actor
from application.use_cases.auth.register import SignedIn
from tests.builders import App, a_user, an_author


@pytest.fixture
def app() -> App:
    return App()


@pytest.fixture
async def jake(app: App) -> SignedIn:
    return await a_user(app)


@pytest.fixture
async def ann(app: App) -> Actor:
    """An author."""
    return await an_author(app, "ann")


@pytest.fixture
async def rob(app: App) -> Actor:
    """A reader."""
    return await an_author(app, "rob")
