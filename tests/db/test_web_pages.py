"""The web pages (``webui/``): logging in through ``/web``, sessions, CSRF, the security
headers, and every page as each role, through httpx's ASGI transport on both databases."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from bot.config import Settings
from bot.console import Console, console_official
from bot.core import Core
from bot.services import site_overview, weblogin
from bot.services.identity import Actor
from bot.transport import ChatRef, ChatType, Kind
from storage.db import Database
from storage.models import Official, Role, Unit, WebLink, WebSession
from tests.db.test_reports import LEADER, OFFICE, WARD, Chat
from webui.auth import COOKIE
from webui.routes import mount

ADMIN = 206
PAGES = ("/web/", "/web/units", "/web/units?state=overdue&sort=name", "/web/chart.svg")


def pages(chat: Chat) -> Starlette:
    """The web pages over the chat's core (the state is in the database: two apps over one
    database are two instances of the site)."""
    return Starlette(routes=[mount(chat.core, chat.core.settings)])


def browser(app: Starlette) -> httpx.AsyncClient:
    """A browser of its own (its own cookies) on the web app, in process."""
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(
        transport=transport, base_url="http://testserver", follow_redirects=True
    )


@pytest.fixture
async def web(chat: Chat) -> AsyncIterator[tuple[Chat, httpx.AsyncClient]]:
    """The chat (Sơn Tây's plan, a ward's and a commune's officials, the office, a
    leader, an admin) and a test client of the web pages over the same core."""
    core = chat.core
    with core.db.session() as session:
        session.add(Official(telegram_user_id=ADMIN, role=Role.ADMIN, full_name="Quản trị"))
    chat.say(WARD, "nv 3 xong")  # a report, so pages have a history to show
    async with browser(pages(chat)) as client:
        yield chat, client


def link(chat: Chat, user: int, *args: str) -> str:
    """The path of the one-time link ``/web`` answers ``user`` with."""
    reply = chat.say(user, "/web " + " ".join(args), kind=Kind.COMMAND, command="web", args=args)
    found = re.search(r"https?://\S+", reply.text)
    assert found is not None, reply.text
    assert found.group().startswith(chat.core.settings.site_url + "/web/login/")
    return urlsplit(found.group()).path


async def log_in(chat: Chat, client: httpx.AsyncClient, user: int) -> None:
    path = link(chat, user)
    shown = await client.get(path)  # a preview or a prefetch: the link is not spent
    assert shown.status_code == 200 and f'action="{path}"' in shown.text
    answer = await client.post(path, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/web/"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def unit_id(db: Database, name: str) -> int:
    with db.session() as session:
        found = session.scalar(select(Unit.id).where(Unit.name == name))
        assert found is not None
        return found


async def test_no_session_is_sent_to_the_login_explanation(web) -> None:
    chat, client = web
    ward = unit_id(chat.core.db, "Phường Lê Lợi")
    for path in (*PAGES, f"/web/units/{ward}"):
        answer = await client.get(path, follow_redirects=False)
        assert answer.status_code == 302 and answer.headers["location"] == "/web/login", path
    page = await client.get("/web/login")
    assert page.status_code == 200 and "/web" in page.text
    assert "Lê Lợi" not in page.text


@pytest.mark.parametrize("user", [OFFICE, LEADER, ADMIN])
async def test_every_page_for_those_who_see_every_unit(web, user) -> None:
    chat, client = web
    await log_in(chat, client, user)
    for path in PAGES:
        answer = await client.get(path)
        assert answer.status_code == 200, path
    overview = await client.get("/web/")
    assert 'src="/web/chart.svg"' in overview.text
    units = (await client.get("/web/units")).text
    assert "Phường Lê Lợi" in units and "Xã Đường Lâm" in units
    chart = await client.get("/web/chart.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.lstrip().startswith("<?xml") and "<svg" in chart.text
    ward = unit_id(chat.core.db, "Phường Lê Lợi")
    page = await client.get(f"/web/units/{ward}")
    assert page.status_code == 200
    assert "Phường Lê Lợi" in page.text
    assert "nv 3 xong" in page.text  # the original message of the report
    commune = unit_id(chat.core.db, "Xã Đường Lâm")
    assert (await client.get(f"/web/units/{commune}")).status_code == 200
    assert (await client.get("/web/units/999999")).status_code == 404


async def test_an_official_sees_their_own_unit_and_the_totals_only(web) -> None:
    chat, client = web
    await log_in(chat, client, WARD)
    ward = unit_id(chat.core.db, "Phường Lê Lợi")
    commune = unit_id(chat.core.db, "Xã Đường Lâm")
    overview = await client.get("/web/")
    assert overview.status_code == 200
    assert "chart.svg" not in overview.text and "Xã Đường Lâm" not in overview.text
    assert f"/web/units/{ward}" in overview.text
    units = await client.get("/web/units")
    assert units.status_code == 200
    assert "Phường Lê Lợi" in units.text and "Xã Đường Lâm" not in units.text
    own = await client.get(f"/web/units/{ward}")
    assert own.status_code == 200 and "nv 3 xong" in own.text
    other = await client.get(f"/web/units/{commune}")
    assert other.status_code == 403 and "Xã Đường Lâm" not in other.text
    # a unit that does not exist answers as one that is not theirs: ids tell nothing
    assert (await client.get("/web/units/999999")).status_code == 403
    assert (await client.get("/web/chart.svg")).status_code == 403


async def test_the_other_officials_names_are_hidden_from_an_official(web) -> None:
    chat, client = web
    with chat.core.db.session() as session:
        session.add(
            Official(
                telegram_user_id=207,
                role=Role.OFFICIAL,
                unit_id=unit_id(chat.core.db, "Phường Lê Lợi"),
                full_name="Đồng Nghiệp Khác",
            )
        )
    await log_in(chat, client, WARD)
    page = (await client.get(f"/web/units/{unit_id(chat.core.db, 'Phường Lê Lợi')}")).text
    assert f"Người {WARD}" in page and "Đồng Nghiệp Khác" not in page


async def test_a_figure_with_nothing_arising_is_said_on_the_pages(web) -> None:
    chat, client = web
    chat.say(WARD, "thanh toan truc tuyen khong phat sinh")
    await log_in(chat, client, OFFICE)
    ward = unit_id(chat.core.db, "Phường Lê Lợi")
    for path in (f"/web/units/{ward}", f"/web/reports?unit={ward}"):
        page = (await client.get(path)).text
        assert "không phát sinh (không có số liệu)" in page, path


async def test_a_link_opens_once_and_only_for_ten_minutes(web) -> None:
    chat, client = web
    path = link(chat, OFFICE)
    assert (await client.post(path, follow_redirects=False)).status_code == 303
    fresh = browser(pages(chat))
    reused = await fresh.post(path, follow_redirects=False)
    assert reused.status_code == 400 and COOKIE not in reused.headers.get("set-cookie", "")
    late = link(chat, OFFICE)
    chat.core.clock.advance(minutes=10, seconds=1)
    assert (await fresh.post(late, follow_redirects=False)).status_code == 400
    assert (await fresh.get("/web/", follow_redirects=False)).status_code == 302
    assert (await fresh.post("/web/login/not-a-token", follow_redirects=False)).status_code == 400


async def test_a_login_posted_from_another_site_is_refused(web) -> None:
    chat, client = web
    path = link(chat, OFFICE)
    forged = await client.post(path, headers={"sec-fetch-site": "cross-site"})
    assert forged.status_code == 403 and COOKIE not in client.cookies
    assert (await client.post(path, follow_redirects=False)).status_code == 303  # not spent


async def test_only_the_hash_of_links_and_sessions_is_stored(web) -> None:
    chat, client = web
    path = link(chat, OFFICE)
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 bits, URL-safe base64
    await client.post(path, follow_redirects=False)
    with chat.core.db.session() as session:
        stored = session.scalars(select(WebLink.token_hash)).all()
        sessions = session.scalars(select(WebSession.key_hash)).all()
    assert token not in stored and len(stored) == 1 and len(sessions) == 1
    assert client.cookies[COOKIE].split(".")[0] not in sessions


async def test_a_forged_or_altered_cookie_is_no_session(web) -> None:
    chat, client = web
    await log_in(chat, client, OFFICE)
    real = client.cookies[COOKIE]
    key = real.rpartition(".")[0]
    for forged in (key + ".AAAA", "x" + real, "a-key-of-my-own", key):
        other = browser(pages(chat))
        answer = await other.get(
            "/web/", headers={"cookie": f"{COOKIE}={forged}"}, follow_redirects=False
        )
        assert answer.status_code == 302, forged
    # The same request with the real cookie is a session: the refusals were the forgery's
    genuine = await browser(pages(chat)).get("/web/", headers={"cookie": f"{COOKIE}={real}"})
    assert genuine.status_code == 200


async def test_idle_sessions_end(web) -> None:
    chat, client = web
    await log_in(chat, client, OFFICE)
    idle = chat.core.settings.web_idle_minutes
    chat.core.clock.advance(minutes=idle - 1)
    assert (await client.get("/web/")).status_code == 200  # seen: the idle time starts again
    chat.core.clock.advance(minutes=idle - 1)
    assert (await client.get("/web/")).status_code == 200
    chat.core.clock.advance(minutes=idle + 1)
    assert (await client.get("/web/", follow_redirects=False)).status_code == 302


async def test_logout_needs_the_csrf_token(web) -> None:
    chat, client = web
    await log_in(chat, client, OFFICE)
    page = (await client.get("/web/")).text
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert token is not None
    assert (await client.post("/web/logout", data={"csrf": "0" * 64})).status_code == 403
    assert (await client.post("/web/logout")).status_code == 403
    assert (await client.get("/web/")).status_code == 200  # still logged in
    out = await client.post("/web/logout", data={"csrf": token.group(1)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"].startswith("/web/login")
    with chat.core.db.session() as session:
        assert session.scalars(select(WebSession.ended_at)).one() is not None


async def test_web_thoat_ends_every_session_of_the_person(web) -> None:
    chat, client = web
    await log_in(chat, client, OFFICE)
    phone = browser(pages(chat))
    await log_in(chat, phone, OFFICE)
    unused = link(chat, OFFICE)
    other = browser(pages(chat))
    await log_in(chat, other, LEADER)
    reply = chat.say(OFFICE, "/web thoat", kind=Kind.COMMAND, command="web", args=("thoat",))
    assert "2" in reply.text
    for device in (client, phone):
        assert (await device.get("/web/", follow_redirects=False)).status_code == 302
    assert (await browser(pages(chat)).post(unused, follow_redirects=False)).status_code == 400
    assert (await other.get("/web/")).status_code == 200  # another person's session stays


def test_links_are_rate_limited_per_person(web) -> None:
    chat, _ = web
    for _ in range(weblogin.LINKS_PER_WINDOW):
        link(chat, OFFICE)
    refused = chat.say(OFFICE, "/web", kind=Kind.COMMAND, command="web")
    assert "/web/login/" not in refused.text
    link(chat, LEADER)  # someone else still gets one
    chat.core.clock.advance(minutes=10, seconds=1)
    link(chat, OFFICE)


def test_web_in_a_group_answers_to_ask_in_private(web) -> None:
    chat, _ = web
    group = ChatRef(-500, ChatType.GROUP, "Đầu mối TTHC")
    reply = chat.say(OFFICE, "/web", kind=Kind.COMMAND, command="web", chat=group)
    assert "/web/login/" not in reply.text
    with chat.core.db.session() as session:
        assert session.scalars(select(WebLink)).all() == []


async def test_security_headers_on_every_answer(web) -> None:
    chat, client = web
    for path in ("/web/login", "/web/static/site.css"):
        _check_headers(await client.get(path))
    _check_headers(await client.get("/web/", follow_redirects=False))
    await log_in(chat, client, OFFICE)
    for path in PAGES[:3]:
        _check_headers(await client.get(path))
    assert "<script" not in (await client.get("/web/")).text
    assert " style=" not in (await client.get("/web/units")).text


def _check_headers(answer) -> None:
    csp = answer.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert "unsafe-inline" not in csp
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-content-type-options"] == "nosniff"


async def test_units_filter_sort_and_search(web) -> None:
    chat, client = web
    await log_in(chat, client, OFFICE)
    names = _names((await client.get("/web/units?sort=name")).text)
    assert names == sorted(names, key=_fold_key) and len(names) > 2
    found = _names((await client.get("/web/units?q=duong+lam")).text)
    assert found[0] == "Xã Đường Lâm"
    wards = _names((await client.get("/web/units?kind=phuong")).text)
    assert wards and all(n.startswith("Phường") for n in wards)
    for state in site_overview.STATES:
        rows = await client.get(f"/web/units?state={state}")
        assert rows.status_code == 200


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/web/units/\d+">([^<]+)</a>', page)


def _fold_key(name: str) -> str:
    from bot.language.normalize import fold

    return fold(name)


def test_search_uses_the_chat_matcher(area: Database) -> None:
    with area.session() as session:
        units = session.execute(select(Unit.id, Unit.name, Unit.kind)).all()
    rows = [
        site_overview.UnitRow(i, name, kind, kind, 0, 0, 0, None, None, rank)
        for rank, (i, name, kind) in enumerate(units)
    ]
    found = site_overview.search(area, rows, "son duong")
    assert [r.name for r in found] == ["Xã Sơn Dương"]  # sure: that unit alone
    assert site_overview.search(area, rows, "tt son duong")[0].name == "Xã Sơn Dương"
    assert site_overview.search(area, rows, "zzzz") == []


def test_web_in_the_console_prints_the_link(area: Database, settings: Settings, clock, tmp_path):
    core = Core(db=area, settings=settings, clock=clock)
    official = console_official(core, None, None)
    out = io.StringIO()
    Console(core, official, out, tmp_path / "out").run(lines=["/web"])
    assert settings.site_url + "/web/login/" in out.getvalue()


def test_the_public_url_and_secure_cookies() -> None:
    plain = Settings(_env_file=None, DONDOC_LISTEN="0.0.0.0:9000")
    assert plain.site_url == "http://0.0.0.0:9000" and not plain.secure_cookies
    public = Settings(_env_file=None, DONDOC_PUBLIC_URL="https://dondoc.example/")
    assert public.site_url == "https://dondoc.example" and public.secure_cookies
    with pytest.raises(ValueError):
        Settings(_env_file=None, DONDOC_PUBLIC_URL="dondoc.example")


async def test_secure_cookie_behind_https(web) -> None:
    chat, _ = web
    core = chat.core
    settings = core.settings.model_copy(update={"public_url": "https://dondoc.example"})
    transport = httpx.ASGITransport(app=Starlette(routes=[mount(core, settings)]))
    client = httpx.AsyncClient(transport=transport, base_url="https://testserver")
    path = urlsplit(link(chat, OFFICE)).path
    answer = await client.post(path, follow_redirects=False)
    assert "Secure" in answer.headers["set-cookie"]


async def test_an_official_no_longer_active_loses_the_session(web) -> None:
    chat, client = web
    await log_in(chat, client, WARD)
    with chat.core.db.session() as session:
        person = session.scalar(select(Official).where(Official.telegram_user_id == WARD))
        person.active = False
    assert (await client.get("/web/", follow_redirects=False)).status_code == 302


async def test_session_touch_is_throttled(web) -> None:
    chat, client = web
    await log_in(chat, client, OFFICE)
    with chat.core.db.session() as session:
        first = session.scalars(select(WebSession.last_seen_at)).one()
    chat.core.clock.advance(seconds=10)
    await client.get("/web/units")
    with chat.core.db.session() as session:
        assert session.scalars(select(WebSession.last_seen_at)).one() == first
    chat.core.clock.advance(minutes=2)
    await client.get("/web/units")
    with chat.core.db.session() as session:
        assert session.scalars(select(WebSession.last_seen_at)).one() - first >= timedelta(
            minutes=2
        )


async def test_a_units_page_lists_its_groups_and_the_reminders_sent(web) -> None:
    """The group bound to the ward and a reminder sent there yesterday are on its page; a
    reminder sent to another unit, or 40 days ago, is not."""
    from storage.models import Chat as GroupChat
    from storage.models import ChatUnit, Reminder, ReminderState

    chat, client = web
    db, now = chat.core.db, chat.core.clock()
    ward, commune = unit_id(db, "Phường Lê Lợi"), unit_id(db, "Xã Đường Lâm")
    with db.session() as session:
        group = GroupChat(telegram_chat_id=-1001, type="supergroup", title="Tổ TTHC Lê Lợi")
        session.add(group)
        session.flush()
        session.add(ChatUnit(chat_id=group.id, unit_id=ward))
        for key, unit, days, kind in (
            ("sent-yesterday", ward, 1, "deadline"),
            ("sent-long-ago", ward, 40, "overdue"),
            ("sent-elsewhere", commune, 1, "monthly_report"),
        ):
            at = now - timedelta(days=days)
            session.add(
                Reminder(
                    key=key, kind=kind, unit_id=unit, chat_id=group.id, due_at=at,
                    state=ReminderState.SENT, sent_at=at,
                )
            )  # fmt: skip
    await log_in(chat, client, OFFICE)
    page = (await client.get(f"/web/units/{ward}")).text
    groups = page.split('id="groups"')[1].split("<h2")[0]
    assert "Tổ TTHC Lê Lợi" in groups
    sent = page.split('id="sent"')[1].split("<h2")[0]
    assert sent.count("<li>") == 1 and "Tổ TTHC Lê Lợi" in sent
    other = (await client.get(f"/web/units/{commune}")).text
    assert "Tổ TTHC Lê Lợi" in other.split('id="sent"')[1]  # its own reminder, same group
    assert "Tổ TTHC Lê Lợi" not in other.split('id="groups"')[1].split("<h2")[0]


def test_the_overview_reads_only_the_units_it_shows(web) -> None:
    chat, _client = web
    core = chat.core
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    data = core.standing_now(core.today(), viewer=office)
    every = site_overview.unit_rows(core.db, data)
    ward = unit_id(core.db, "Phường Lê Lợi")
    [one] = site_overview.unit_rows(core.db, data, only={ward})
    assert one == next(r for r in every if r.unit_id == ward)  # its rank and last report
    assert one.last_report is not None  # "nv 3 xong", sent by the ward
    assert site_overview.unit_rows(core.db, data, only=set()) == []
