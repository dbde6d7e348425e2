"""The web pages beyond the overview and the units (``webui.tasks``, ``reports``,
``plan``, ``export``): one task, one indicator, the report log with its filters and
pages, the plan, the Word and Excel downloads — as an official, the office, a leader and
an admin, through httpx's ASGI transport on both databases."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from bot.services import site
from bot.services.access import NotAllowed
from bot.services.identity import Actor
from bot.transport import FileRef, Kind
from storage.db import Database
from storage.models import Indicator, Official, Task
from tests.db import test_site, test_web_pages
from tests.db.conftest import WARD_COLLEAGUE
from tests.db.test_reports import COMMUNE, LEADER, OFFICE, WARD
from tests.db.test_web_pages import ADMIN, log_in, unit_id
from webui import reports as reports_page

WARD_NAME, COMMUNE_NAME = "Phường Lê Lợi", "Xã Đường Lâm"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
web = test_web_pages.web  # the fixture: the chat and a browser on the pages


def _id(db: Database, model, **where) -> int:
    with db.session() as session:
        query = select(model.id)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.scalars(query).one()


def _official(db: Database, telegram_id: int) -> int:
    return _id(db, Official, telegram_user_id=telegram_id)


@pytest.fixture
def reported(web):
    """The web fixture's chat (the ward has done task 3) with more reports: the commune
    on task 3, the ward's figure for số hóa, and the ward's "nv 2 xong" undone."""
    chat, client = web
    clock = chat.core.clock
    clock.advance(hours=1)
    chat.say(COMMUNE, "nv 3 đang làm 40%")
    clock.advance(hours=1)
    chat.say(WARD, "so hoa 85/100")
    clock.advance(days=1)
    chat.say(WARD, "nv 2 xong")
    clock.advance(minutes=5)
    chat.say(WARD, "hủy")
    return chat, client


def _rows(page: str) -> list[str]:
    """The report log's rows, each as its text without tags."""
    body = page.split('<table class="log">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"(?:status|figure)[^\"]*\">(.*?)</tr>", body, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


async def test_no_session_is_sent_to_the_login_explanation(web) -> None:
    chat, client = web
    db = chat.core.db
    paths = (
        f"/web/tasks/{_id(db, Task, code='3')}",
        f"/web/indicators/{_id(db, Indicator, code='6')}",
        "/web/reports",
        "/web/reports?unit=1",
        "/web/plan",
        "/web/export",
        "/web/export/2025-Q3.docx",
        "/web/export/2025-Q3.xlsx",
    )
    for path in paths:
        answer = await client.get(path, follow_redirects=False)
        assert answer.status_code == 302 and answer.headers["location"] == "/web/login", path


@pytest.mark.parametrize("user", [OFFICE, LEADER, ADMIN])
async def test_every_page_for_those_who_see_every_unit(reported, user) -> None:
    chat, client = reported
    db = chat.core.db
    await log_in(chat, client, user)
    ward, commune = unit_id(db, WARD_NAME), unit_id(db, COMMUNE_NAME)
    task = _id(db, Task, code="3")
    indicator = _id(db, Indicator, code="6")

    nav = (await client.get("/web/")).text
    for path in ("/web/reports", "/web/plan", "/web/export"):
        assert f'href="{path}"' in nav
    assert f'href="/web/indicators/{indicator}"' in nav  # the overview's indicators

    page = await client.get(f"/web/tasks/{task}")
    assert page.status_code == 200
    assert f'href="/web/units/{ward}"' in page.text and f'href="/web/units/{commune}"' in page.text
    done = page.text.split('id="done"', 1)[1].split('id="overdue"', 1)
    assert WARD_NAME in done[0] and COMMUNE_NAME in done[1]  # done, then overdue
    assert (await client.get("/web/tasks/999999")).status_code == 404

    page = await client.get(f"/web/indicators/{indicator}?period=2025-12")
    assert page.status_code == 200
    assert "<svg" in page.text and "<script" not in page.text
    assert f'href="/web/units/{ward}"' in page.text and "85%" in page.text
    assert '<option value="2025-12" selected>' in page.text
    assert (await client.get("/web/indicators/999999")).status_code == 404
    # a period that cannot be read falls back to the default one
    assert (await client.get(f"/web/indicators/{indicator}?period=xyz")).status_code == 200

    page = await client.get("/web/plan")
    assert page.status_code == 200
    assert f'href="/web/tasks/{task}"' in page.text
    assert f'href="/web/indicators/{indicator}"' in page.text
    assert (await client.get("/web/plan/999999")).status_code == 404

    unit = (await client.get(f"/web/units/{ward}")).text
    assert f'href="/web/tasks/{task}"' in unit and f"/web/reports?unit={ward}" in unit
    # what it has not sent, as "tiến độ phường Lê Lợi" says it in the chat
    [figures, periodic, coming] = re.findall(r'<p class="gaps">(.*?)</p>', unit)
    assert figures.startswith("Chưa gửi số liệu kỳ tháng 12/2025 (hạn 14/12/2025): Tỷ lệ")
    assert figures.endswith("và 5 chỉ tiêu khác."), figures  # not "5 đơn vị khác"
    assert periodic.startswith("Báo cáo định kỳ chưa gửi: 22 (quý III/2025, hạn 14/09/2025)")
    # and the quarter's report due with the month's figures
    assert coming.startswith("Báo cáo định kỳ cần gửi: 22 (quý IV/2025, hạn 14/12/2025);"), coming

    log = await client.get("/web/reports")
    assert log.status_code == 200
    rows = _rows(log.text)
    assert len(rows) == 4 and "nv 2 xong" in rows[0] and "nv 3 xong" in rows[-1]
    assert COMMUNE_NAME in rows[2] and "40%" in rows[2]
    undone = log.text.split('<table class="log">', 1)[1].split("</tr>", 2)[1]
    assert "undone" in undone and "<del>" in undone  # the undone report, struck out
    assert "<del>" not in log.text.split("</tr>", 3)[2]

    page = await client.get("/web/export?period=2025-Q3")
    assert page.status_code == 200
    assert 'href="/web/export/2025-Q3.docx"' in page.text
    assert 'href="/web/export/2025-Q3.xlsx"' in page.text


async def test_an_official_sees_their_own_lines_and_the_totals(reported) -> None:
    chat, client = reported
    db = chat.core.db
    await log_in(chat, client, WARD)
    ward, commune = unit_id(db, WARD_NAME), unit_id(db, COMMUNE_NAME)

    page = await client.get(f"/web/tasks/{_id(db, Task, code='3')}")
    assert page.status_code == 200
    assert f'href="/web/units/{ward}"' in page.text and COMMUNE_NAME not in page.text
    assert not re.search(r'<h2 id="(done|overdue)"', page.text)  # no units by name
    overdue = re.search(r'<li class="overdue"><strong>(\d+)</strong>', page.text)
    assert overdue is not None and int(overdue.group(1)) > 1  # the area's totals
    page = await client.get(f"/web/indicators/{_id(db, Indicator, code='6')}?period=2025-12")
    assert page.status_code == 200 and WARD_NAME in page.text and COMMUNE_NAME not in page.text

    log = await client.get("/web/reports")
    assert log.status_code == 200
    rows = _rows(log.text)
    assert len(rows) == 3 and all(WARD_NAME in row for row in rows)
    assert 'name="unit"' not in log.text  # one unit: nothing to choose
    assert (await client.get(f"/web/reports?unit={commune}")).status_code == 403
    office = _official(db, OFFICE)
    forbidden = await client.get(f"/web/reports?person={office}")
    assert forbidden.status_code == 403 and COMMUNE_NAME not in forbidden.text
    assert (await client.get(f"/web/reports?unit={ward}")).status_code == 200
    assert (await client.get("/web/plan")).status_code == 200

    page = await client.get("/web/export")
    assert page.status_code == 200 and WARD_NAME in page.text
    answer = await client.get("/web/export/2025-Q3.docx")
    assert answer.status_code == 200 and answer.headers["content-type"] == DOCX
    assert "phuong-le-loi.docx" in answer.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
    assert WARD_NAME.upper() in text.upper()


async def test_the_log_filters(reported) -> None:
    chat, client = reported
    db = chat.core.db
    await log_in(chat, client, OFFICE)
    ward, commune = unit_id(db, WARD_NAME), unit_id(db, COMMUNE_NAME)

    async def rows(query: str) -> list[str]:
        answer = await client.get("/web/reports?" + query)
        assert answer.status_code == 200, query
        return _rows(answer.text) if '<table class="log">' in answer.text else []

    assert all(WARD_NAME in r for r in await rows(f"unit={ward}"))
    assert len(await rows(f"unit={ward}")) == 3
    assert len(await rows(f"unit={commune}")) == 1
    task3 = await rows(f"task={_id(db, Task, code='3')}")
    assert len(task3) == 2 and "nv 3 đang làm 40%" in task3[0] and "nv 3 xong" in task3[1]
    figures = await rows(f"indicator={_id(db, Indicator, code='6')}")
    assert len(figures) == 1 and "so hoa 85/100" in figures[0]
    assert len(await rows(f"person={_official(db, COMMUNE)}")) == 1
    # the reports were sent on 20/11 and 21/11 (local days)
    assert len(await rows("since=2025-11-21")) == 1
    assert len(await rows("until=2025-11-20")) == 3
    assert await rows("since=2025-11-22") == []
    assert len(await rows(f"unit={ward}&since=2025-11-20&until=2025-11-20")) == 2
    # what cannot be read is left out, not an error
    assert len(await rows("unit=abc&since=someday")) == 4
    page = await client.get(f"/web/reports?unit={ward}")
    assert f'<option value="{ward}" selected>' in page.text
    assert await rows("unit=999999") == []  # no such unit: no report


async def test_the_log_in_pages(reported, monkeypatch) -> None:
    chat, client = reported
    await log_in(chat, client, LEADER)
    monkeypatch.setattr(reports_page, "PAGE", 3)
    first = await client.get("/web/reports")
    rows = _rows(first.text)
    assert len(rows) == 3
    found = re.search(r'rel="next" href="([^"]+)"', first.text)
    assert found is not None
    second = await client.get("/web/reports" + found.group(1).replace("&amp;", "&"))
    more = _rows(second.text)
    assert len(more) == 1 and "nv 3 xong" in more[0] and more[0] not in rows
    assert 'rel="next"' not in second.text
    assert 'href="?"' in second.text  # back to the latest
    # the filters are kept from page to page
    ward = unit_id(chat.core.db, WARD_NAME)
    monkeypatch.setattr(reports_page, "PAGE", 2)
    first = await client.get(f"/web/reports?unit={ward}")
    link = re.search(r'rel="next" href="([^"]+)"', first.text).group(1).replace("&amp;", "&")
    assert f"unit={ward}" in link
    second = await client.get("/web/reports" + link)
    assert len(_rows(second.text)) == 1 and WARD_NAME in _rows(second.text)[0]
    # a cursor that cannot be read is the first page
    assert len(_rows((await client.get("/web/reports?after=nonsense")).text)) == 2


async def test_open_disagreements_are_listed(web, colleague) -> None:
    chat, client = web
    chat.say(WARD, "so hoa 85/100")
    chat.core.clock.advance(hours=2)
    chat.say(WARD_COLLEAGUE, "so hoa 60/100")
    await log_in(chat, client, OFFICE)
    page = await client.get("/web/reports")
    conflicts = page.text.split('<table class="conflicts">', 1)[1].split("</table>", 1)[0]
    assert WARD_NAME in conflicts and "85%" in conflicts and "60%" in conflicts
    assert 'id="conflicts"' in page.text


@pytest.mark.parametrize("user", [OFFICE, LEADER, ADMIN])
async def test_the_downloads_open(reported, user) -> None:
    chat, client = reported
    await log_in(chat, client, user)
    word = await client.get("/web/export/2025-Q3.docx")
    assert word.status_code == 200 and word.headers["content-type"] == DOCX
    assert word.headers["content-disposition"].startswith("attachment;")
    assert 'filename="bao-cao-quy-3-2025.docx"' in word.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "BÁO CÁO" in text
    sheet = await client.get("/web/export/2025-Q3.xlsx")
    assert sheet.status_code == 200 and sheet.headers["content-type"] == XLSX
    assert sheet.headers["content-disposition"].endswith(".xlsx")
    book = load_workbook(io.BytesIO(sheet.content))
    assert book.sheetnames and book.active.max_row > 1
    # a period not offered (not begun, not a report's, not a period) or another type
    for path in ("2026-Q4.docx", "2025-W40.docx", "nonsense.xlsx", "2025-Q3.pdf"):
        assert (await client.get("/web/export/" + path)).status_code == 404, path


def test_the_log_choices_follow_the_role(reported) -> None:
    chat, _client = reported
    db = chat.core.db
    office, ward = (test_site._actor(db, user) for user in (OFFICE, WARD))
    with test_site._queries(db) as seen:
        every = site.log_choices(db, viewer=office)
    assert len(seen) == 2
    names = [name for _id, name in every.units]
    assert WARD_NAME in names and COMMUNE_NAME in names and names == sorted(names)
    assert len(every.people) >= 4
    own = site.log_choices(db, viewer=ward)
    assert own.units == ((unit_id(db, WARD_NAME), WARD_NAME),)
    assert own.people == ((_official(db, WARD), f"Người {WARD}"),)
    with pytest.raises(NotAllowed):
        site.log_choices(db, viewer=Actor(user_id=9, language="vi"))


async def test_the_log_says_when_evidence_came_with_a_report(web) -> None:
    chat, client = web
    photo = FileRef("photo.jpg", 1000, "AgACAgIAAxk-photo", photo=True)
    chat.say(WARD, "nv 13 xong, ảnh niêm yết", kind=Kind.MEDIA, file=photo)
    await log_in(chat, client, OFFICE)
    rows = _rows((await client.get("/web/reports")).text)
    assert "Telegram" in rows[0] and "ảnh niêm yết" in rows[0]
    assert "Telegram" not in rows[1]  # "nv 3 xong": nothing sent with it
    assert "AgACAgIAAxk" not in (await client.get("/web/reports")).text


async def test_the_log_says_the_day_a_task_was_done(web) -> None:
    chat, client = web
    settings = chat.core.settings
    yesterday = chat.core.clock().astimezone(settings.tz).date() - timedelta(days=1)
    chat.say(WARD, "nv 13 đã hoàn thành hôm qua")
    await log_in(chat, client, OFFICE)
    rows = _rows((await client.get("/web/reports")).text)
    assert f"đã xong ngày {yesterday:%d/%m/%Y}" in rows[0], rows[0]
    assert "ngày" not in rows[1]  # "nv 3 xong": no day written


async def test_a_units_figures_read_the_vietnamese_way(reported) -> None:
    """The unit's page writes a figure as the chat does ("85%", "(85/100)"), not as the
    database keeps it ("85.0000")."""
    chat, client = reported
    await log_in(chat, client, OFFICE)
    page = (await client.get(f"/web/units/{unit_id(chat.core.db, WARD_NAME)}")).text
    figures = page.split('id="figures"')[1].split("<h2")[0]
    assert "85%" in figures and "(85/100)" in figures
    assert ".0000" not in figures and ".00" not in figures


async def test_a_deadline_the_office_moved_says_so(web) -> None:
    """The task and plan pages showed the new deadline beside the plan's words, as if the
    plan said it; they say it was extended, and from when."""
    chat, client = web
    db = chat.core.db
    with db.session() as session:
        task = session.scalars(
            select(Task)
            .where(Task.timeframe_kind == "due", Task.withdrawn_at.is_(None))
            .order_by(Task.position)
        ).first()
        assert task is not None and task.due_date is not None
        code, before, wording, task_id = task.code, task.due_date, task.timeframe_text, task.id
    [proposal] = chat.send(OFFICE, f"gia hạn nv {code} đến 31/12/2026")
    chat.press(OFFICE, proposal, "Đồng ý đổi hạn")
    await log_in(chat, client, OFFICE)
    page = (await client.get(f"/web/tasks/{task_id}")).text
    extended = f"31/12/2026 (gia hạn từ {before:%d/%m/%Y})"
    assert f"{extended} (kế hoạch ghi: {wording})" in page, page
    plan = (await client.get("/web/plan")).text
    assert f"hạn {extended}" in plan
    # the report upward too
    word = await client.get("/web/export/2025-Q4.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert f"hạn: {extended}" in text, text
