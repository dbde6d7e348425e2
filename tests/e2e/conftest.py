"""Shared pieces of the end-to-end tests: the fake Bot API and the real Application."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from storage.db import Database
from tests.fakebot import FakeBotAPI


@pytest.fixture
def fake(clock) -> FakeBotAPI:
    return FakeBotAPI(clock=clock)


def application(db: Database, settings: Settings, clock, fake: FakeBotAPI) -> Application:
    """The project's real Application, talking to the fake Bot API."""
    settings = settings.model_copy(update={"telegram_bot_token": SecretStr(fake.token)})
    return build_application(
        settings,
        db,
        clock=clock,
        request=fake.make_request(),
        get_updates_request=fake.make_request(),
        jobs=False,  # tests run the reminder jobs themselves, on the test clock
    )
