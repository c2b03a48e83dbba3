"""Fixtures for the use-case tests: a fresh set of in-memory adapters per test."""

import pytest

from application.use_cases.auth.register import SignedIn
from tests.builders import App, a_user


@pytest.fixture
def app() -> App:
    return App()


@pytest.fixture
async def jake(app: App) -> SignedIn:
    return await a_user(app)
