"""A chart already uploaded is re-sent by its Telegram file id, not uploaded again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from telegram.error import TimedOut

from bot.config import Settings
from bot.language.timeframes import parse_timeframe
from bot.photos import SentPhotos, sent_photos
from bot.plans.model import PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans
from bot.services.identity import Actor, create_invite
from bot.services.units import import_units, unit_catalogue
from handlers.reminders import tick_job
from storage.db import Database
from storage.models import Role
from tests.e2e.conftest import application
from tests.fakebot import Call, FakeBotAPI, UploadedFile, running_app

DATA = Path(__file__).parents[1] / "data"
START = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # Sunday 22/11/2026, 09:00 in Hà Nội
OVERDUE = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 7/12: the task of 4/12 is late


def _import_plan(db: Database) -> None:
    timeframe = "Trước ngày 04/12/2026"
    draft = PlanDraft(
        title="Kế hoạch kiểm soát TTHC năm 2026",
        issuer="UBND thị xã Sơn Tây",
        year=2026,
        tasks=[
            TaskDraft(
                code="1.1",
                content="Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa",
                lead=["Phường Lê Lợi"],
                timeframe_text=timeframe,
                timeframe=parse_timeframe(timeframe, 2026),
            )
        ],
    )
    with db.session() as session:
        catalogue = unit_catalogue(session)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    resolved = resolve_plan(draft, catalogue)
    plans.confirm(db, plans.store_draft(db, resolved, "kh.docx", office, START), START)


@pytest.fixture
async def app(db: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    clock.now = START
    import_units(db, DATA / "son-tay-units.csv")
    _import_plan(db)
    async with running_app(application(db, settings, clock, fake), fake) as running:
        yield running


async def _register(fake: FakeBotAPI, db: Database, clock, role: Role, name: str) -> dict:
    user = fake.add_user(first_name=name)
    code = create_invite(db, role=role, unit_query=None, now=clock(), days=7, created_by="t")
    mark = fake.mark()
    fake.send_text(user, user, f"/start {code.code}")
    await fake.wait_for("sendMessage", since=mark)
    return user


async def _ask_for_the_chart(fake: FakeBotAPI, leader: dict) -> Call:
    mark = fake.mark()
    fake.send_text(leader, leader, "tình hình tháng này")
    [photo] = await fake.wait_for("sendPhoto", since=mark)
    return photo


def _file_id(call: Call) -> str:
    return call.result["photo"][-1]["file_id"]  # the largest size


async def test_the_same_chart_asked_twice_is_uploaded_once(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    leader = await _register(fake, db, clock, Role.LEADER, "Chủ tịch")
    clock.now = OVERDUE
    first = await _ask_for_the_chart(fake, leader)
    second = await _ask_for_the_chart(fake, leader)  # nothing changed in between

    upload = first.params["photo"]
    assert isinstance(upload, UploadedFile) and upload.content[:4] == b"\x89PNG"
    assert second.params["photo"] == _file_id(first)  # a file id string, no bytes
    assert _file_id(second) == _file_id(first)
    assert fake.file_bytes(_file_id(second)) == upload.content
    assert second.params.get("caption") == first.params.get("caption")


async def test_the_digest_chart_for_several_people_is_uploaded_once(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    office = [await _register(fake, db, clock, Role.OFFICE, f"Văn phòng {n}") for n in (1, 2)]
    core = app.bot_data["core"]
    clock.now = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # Sunday
    core.rebuild_schedule()
    clock.now = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)  # Monday 07:30 in Hà Nội
    mark = fake.mark()
    await tick_job(SimpleNamespace(bot=app.bot, application=app))  # what the JobQueue runs

    first, second = fake.calls_of("sendPhoto", since=mark)
    assert {first.params["chat_id"], second.params["chat_id"]} == {u["id"] for u in office}
    assert isinstance(first.params["photo"], UploadedFile)
    assert second.params["photo"] == _file_id(first)
    assert len(sent_photos(app.bot_data)) == 1  # the Application's cache, shared with replies


async def test_a_file_id_telegram_rejects_falls_back_to_an_upload(
    app, fake: FakeBotAPI, db: Database, clock
) -> None:
    leader = await _register(fake, db, clock, Role.LEADER, "Chủ tịch")
    clock.now = OVERDUE
    first = await _ask_for_the_chart(fake, leader)
    fake.fail_next("sendPhoto", description="Bad Request: wrong file identifier/HTTP URL specified")

    mark = fake.mark()
    fake.send_text(leader, leader, "tình hình tháng này")
    await fake.wait_for("sendPhoto", since=mark)
    rejected, upload = fake.calls_of("sendPhoto", since=mark, include_failed=True)
    assert not rejected.ok and rejected.params["photo"] == _file_id(first)
    assert upload.ok and isinstance(upload.params["photo"], UploadedFile)
    assert _file_id(upload) != _file_id(first)

    third = await _ask_for_the_chart(fake, leader)  # the new file id is remembered
    assert third.params["photo"] == _file_id(upload)


class _StubBot:
    """Just enough of a Bot for SentPhotos: records what was sent, answers with file ids."""

    def __init__(self) -> None:
        self.sent: list[object] = []
        self.fail_with: Exception | None = None

    async def send_photo(self, chat_id: int, photo: object, caption: str | None = None):
        self.sent.append(photo)
        if self.fail_with is not None:
            raise self.fail_with
        file_id = photo if isinstance(photo, str) else f"id-{len(self.sent)}"
        sizes = [SimpleNamespace(file_id=f"{file_id}-small"), SimpleNamespace(file_id=file_id)]
        return SimpleNamespace(photo=sizes)


async def test_the_cache_keeps_the_most_recently_used_pictures() -> None:
    bot, photos = _StubBot(), SentPhotos(max_entries=2)
    for content in (b"a", b"b", b"a", b"c"):  # "a" was used again: "b" is dropped
        await photos.send(bot, 1, content, "chart.png")
    assert len(photos) == 2
    assert bot.sent[2] == "id-1"  # "a" the second time, by file id
    await photos.send(bot, 1, b"a", "chart.png")
    await photos.send(bot, 1, b"b", "chart.png")
    assert bot.sent[4] == "id-1" and not isinstance(bot.sent[5], str)


async def test_other_errors_keep_the_file_id() -> None:
    bot, photos = _StubBot(), SentPhotos()
    await photos.send(bot, 1, b"a", "chart.png")
    bot.fail_with = TimedOut()
    with pytest.raises(TimedOut):
        await photos.send(bot, 1, b"a", "chart.png")
    bot.fail_with = None
    await photos.send(bot, 1, b"a", "chart.png")
    assert bot.sent[1:] == ["id-1", "id-1"]  # no new upload
