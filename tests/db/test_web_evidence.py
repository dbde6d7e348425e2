"""The photo or file sent with a task report, on the web pages (``webui.evidence``): shown
to those who may see the unit, fetched through the transport's ``Files`` when opened (a
recording fake here; :class:`bot.web.TelegramFiles` against the fake Bot API below), a
picture inline and any other file as a download."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from telegram import Bot

from bot.transport import FileRef, Kind
from bot.web import TelegramFiles
from storage.models import StatusUpdate
from tests.db.test_reports import COMMUNE, OFFICE, WARD, Chat
from tests.db.test_web_pages import browser, log_in, unit_id
from tests.fakebot import FakeBotAPI
from webui.routes import mount

JPEG = b"\xff\xd8\xff\xe0 a photo of the notice board"
PDF = b"%PDF-1.4 the signed minutes"


class RecordingFiles:
    """Files kept by file id, and every fetch asked for."""

    def __init__(self) -> None:
        self.kept = {"photo-1": (JPEG, "photos/file_1.jpg"), "doc-1": (PDF, "documents/file_2.pdf")}
        self.fetched: list[str] = []

    async def fetch(self, file_id: str) -> tuple[bytes, str | None]:
        self.fetched.append(file_id)
        if file_id not in self.kept:
            raise LookupError(file_id)  # as TelegramFiles when Telegram no longer has it
        return self.kept[file_id]


@pytest.fixture
async def site(chat: Chat) -> AsyncIterator[tuple[Chat, RecordingFiles, Starlette]]:
    """The ward reports task 13 with a photo, task 12 with a PDF, task 3 with nothing."""
    chat.say(WARD, "nv 3 xong")
    chat.say(
        WARD,
        "nv 13 xong, ảnh niêm yết",
        kind=Kind.MEDIA,
        file=FileRef("a.jpg", 40, "photo-1", photo=True),
    )
    chat.say(WARD, "nv 12 xong, biên bản", kind=Kind.MEDIA, file=FileRef("b.pdf", 30, "doc-1"))
    files = RecordingFiles()
    yield chat, files, Starlette(routes=[mount(chat.core, chat.core.settings, files)])


def _evidence_of(chat: Chat) -> dict[str, int]:
    with chat.core.db.session() as session:
        rows = session.execute(
            select(StatusUpdate.evidence_file_id, StatusUpdate.id).where(
                StatusUpdate.evidence_file_id.is_not(None)
            )
        )
        return dict(rows.all())


async def test_the_office_opens_a_reports_photo_from_the_units_page(site) -> None:
    chat, files, app = site
    ids = _evidence_of(chat)
    async with browser(app) as client:
        await log_in(chat, client, OFFICE)
        page = (await client.get(f"/web/units/{unit_id(chat.core.db, 'Phường Lê Lợi')}")).text
        links = set(re.findall(r'href="/web/evidence/(\d+)"', page))
        assert links == {str(ids["photo-1"]), str(ids["doc-1"])}  # not task 3's report
        assert f'href="/web/evidence/{ids["photo-1"]}"' in (await client.get("/web/reports")).text
        photo = await client.get(f"/web/evidence/{ids['photo-1']}")
        assert photo.status_code == 200 and photo.content == JPEG
        assert photo.headers["content-type"] == "image/jpeg"
        assert photo.headers["content-disposition"].startswith("inline")
        assert "default-src 'none'" in photo.headers["content-security-policy"]
        minutes = await client.get(f"/web/evidence/{ids['doc-1']}")
        assert minutes.content == PDF and minutes.headers["content-type"] == "application/pdf"
        # not an image: downloaded, never shown as a page of the site
        assert minutes.headers["content-disposition"].startswith("attachment")
    assert files.fetched == ["photo-1", "doc-1"]


async def test_an_official_sees_their_own_units_evidence_only(site) -> None:
    chat, files, app = site
    ids = _evidence_of(chat)
    async with browser(app) as ward, browser(app) as commune:
        await log_in(chat, ward, WARD)
        assert (await ward.get(f"/web/evidence/{ids['photo-1']}")).content == JPEG
        await log_in(chat, commune, COMMUNE)
        assert (await commune.get(f"/web/evidence/{ids['photo-1']}")).status_code == 403
        assert (await commune.get("/web/evidence/999999")).status_code == 403  # ids tell nothing
    assert files.fetched == ["photo-1"]  # nothing fetched for the refused one


async def test_no_evidence_no_session_and_a_file_telegram_lost(site) -> None:
    chat, files, app = site
    ids = _evidence_of(chat)
    with chat.core.db.session() as session:
        bare = session.scalar(
            select(StatusUpdate.id).where(StatusUpdate.evidence_file_id.is_(None))
        )
    async with browser(app) as client:
        answer = await client.get(f"/web/evidence/{ids['photo-1']}", follow_redirects=False)
        assert answer.status_code == 302 and answer.headers["location"] == "/web/login"
        await log_in(chat, client, OFFICE)
        assert (await client.get(f"/web/evidence/{bare}")).status_code == 404
        assert (await client.get("/web/evidence/999999")).status_code == 404
        del files.kept["photo-1"]
        assert (await client.get(f"/web/evidence/{ids['photo-1']}")).status_code == 404


async def test_without_a_transport_keeping_files_the_log_says_where_they_are(site) -> None:
    chat, _files, _app = site
    async with browser(Starlette(routes=[mount(chat.core, chat.core.settings)])) as client:
        await log_in(chat, client, OFFICE)
        page = (await client.get("/web/reports")).text
        assert "/web/evidence/" not in page and "Telegram" in page


async def test_telegram_files_downloads_by_file_id() -> None:
    """:class:`bot.web.TelegramFiles` through the Bot API (getFile, then the file)."""
    fake = FakeBotAPI()
    async with Bot(fake.token, request=fake.make_request()) as bot:
        user = fake.add_user()
        update = fake.send_photo(user, fake.private_chat(user), content=JPEG)
        file_id = update["message"]["photo"][-1]["file_id"]
        content, path = await TelegramFiles(bot).fetch(file_id)
        assert content == JPEG and path == "file_1.jpg"  # the name only: no token
        with pytest.raises(LookupError):
            await TelegramFiles(bot).fetch("no-such-file")
