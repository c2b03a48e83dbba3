"""Fixtures for the administration use cases: an administrator to act with."""

import pytest

from application.actor import Actor
from domain.users import Role
from tests.builders import App, an_author


@pytest.fixture
async def boss(app: App) -> Actor:
    """An administrator."""
    return await an_author(app, "boss", role=Role.ADMIN)
