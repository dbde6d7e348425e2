"""The ``meta`` table's writes (``storage.queries``): several instances starting at once
write the same keys (the bot's username at start, the web signing key once)."""

from __future__ import annotations

import threading

import pytest

from storage.db import Database
from storage.queries import add_meta, get_meta, set_meta


def test_set_meta_sets_and_add_meta_keeps_the_first(db: Database) -> None:
    with db.session() as session:
        set_meta(session, "bot_username", "first_bot")
    with db.session() as session:
        set_meta(session, "bot_username", "renamed_bot")
        add_meta(session, "web_secret", "made-first")
    with db.session() as session:
        add_meta(session, "web_secret", "made-second")
    with db.session() as session:
        assert get_meta(session, "bot_username") == "renamed_bot"
        assert get_meta(session, "web_secret") == "made-first"


def test_two_instances_writing_one_key_at_once(db: Database) -> None:
    """The second writer's read saw no row (the first had not committed): it must not
    fail on the key the first inserts meanwhile (it did: UniqueViolation at start)."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time: the second waits before it reads")
    failures: list[BaseException] = []
    with db.session() as first:
        set_meta(first, "bot_username", "dondoc_bot")  # inserted, not committed

        def second() -> None:
            try:
                with db.session() as session:
                    set_meta(session, "bot_username", "dondoc_bot")
            except BaseException as exc:
                failures.append(exc)

        writer = threading.Thread(target=second)
        writer.start()
        writer.join(timeout=0.5)  # it waits on the first's uncommitted row
        assert writer.is_alive()
    writer.join(timeout=30)
    assert not writer.is_alive() and failures == []
    with db.session() as session:
        assert get_meta(session, "bot_username") == "dondoc_bot"
