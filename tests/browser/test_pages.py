"""The web pages in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright, on a real ``dondoc run`` in polling mode against the fake Bot API over a
socket, on the demo database (the demo province's units, its plan, a year of reports).

People log in as a person does: they send ``/web`` in the chat, open the link from the
bot's answer and press the button. Then, as the office: the overview at phone (390 px)
and desktop (1366 px) width, the navigation, a unit's page, the units page sorted,
filtered and searched without diacritics, and every page reachable from the navigation
(pages added later are crawled too), each answering 200 with a heading, no horizontal
overflow at 390 px and no console error (a CSP violation is one); as an official: their
own unit's page, 403 for another's. Screenshots go to the test's temporary folder.

The test builds its own SQLite demo database, so it runs once, in the SQLite run of the
suite (the pages' queries on PostgreSQL are ``tests/db/test_web_pages.py``'s)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.cli import build_demo
from bot.config import Settings
from bot.language.normalize import fold
from bot.services.identity import create_invite
from storage.models import Role, Unit
from tests.conftest import TEST_DATABASE_URL
from tests.e2e.test_crash import _until
from tests.fakebot import FakeBotAPI
from tests.fakebot_server import serving

playwright = pytest.importorskip(
    "playwright.async_api", reason="Playwright for Python is not installed (pip install -e .[test])"
)
CHROMIUM = os.environ.get("DONDOC_CHROMIUM") or shutil.which("chromium")

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (Debian: apt-get install chromium; .ci/run does)",
    ),
    pytest.mark.skipif(
        bool(TEST_DATABASE_URL),
        reason="runs once, in the SQLite run: it builds its own SQLite demo database",
    ),
    pytest.mark.asyncio(loop_scope="module"),
]

START_TIMEOUT = 60.0
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
OWN_UNIT = "Xã Sơn Dương"  # the official's commune, in the demo province (Tuyên Quang)
CRAWL_PER_SHAPE = 3  # pages crawled per path shape (/web/units/<n> …), whatever the data


@dataclass
class Running:
    fake: FakeBotAPI
    site: str  # http://127.0.0.1:<port>
    units: dict[str, int]  # name → id
    people: dict[str, dict] = field(default_factory=dict)  # "office", "official" → user


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo database (built once for the module), with the invites of an office
    member and of an official of :data:`OWN_UNIT`; its URL."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    settings = Settings(_env_file=None, DONDOC_DEMO_DATABASE_URL=url)
    db = build_demo(settings, now=datetime.now(UTC))
    db.dispose()
    return url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(demo: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    """``dondoc run`` (polling, the fake Bot API over a socket, the site on a free port)
    with an office member and an official registered through the chat."""
    from storage.db import Database

    folder = tmp_path_factory.mktemp("run")
    fake = FakeBotAPI()
    db = Database(demo)
    now = datetime.now(UTC)
    codes = {
        "office": create_invite(
            db, role=Role.OFFICE, unit_query=None, now=now, days=1, created_by="test"
        ).code,
        "official": create_invite(
            db, role=Role.OFFICIAL, unit_query=OWN_UNIT, now=now, days=1, created_by="test"
        ).code,
    }
    with db.session() as session:
        units = {name: unit_id for unit_id, name in session.execute(select(Unit.id, Unit.name))}
    db.dispose()
    log_path = folder / "bot.log"
    async with serving(fake) as base_url:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(folder),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": base_url,
            "DATABASE_URL": demo,
            "DONDOC_QUIET_START": "00:00",
            "DONDOC_QUIET_END": "23:59",
            "DONDOC_LISTEN": "127.0.0.1:0",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=folder, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log_path.open("ab"),
        )  # fmt: skip

        def port() -> int | None:
            text = log_path.read_text(errors="replace")
            found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", text)
            return int(found.group(1)) if found and "starts polling" in text else None

        try:
            await _until(lambda: port() is not None, START_TIMEOUT)
            here = Running(fake, f"http://127.0.0.1:{port()}", units)
            for who, name in (("office", "An"), ("official", "Bình")):
                person = fake.add_user(first_name=name, language_code="vi")
                mark = fake.mark()
                fake.send_text(person, person, f"/start {codes[who]}")
                await fake.wait_for("sendMessage", chat_id=person["id"], since=mark, timeout=30)
                here.people[who] = person
            yield here
        except (AssertionError, TimeoutError) as exc:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise AssertionError(f"{exc!r}\n--- bot.log (end) ---\n{tail}") from exc
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 30)
                except TimeoutError:
                    process.kill()
                    await process.wait()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def chromium() -> AsyncIterator:
    async with playwright.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        await browser.close()


async def link_from_the_bot(here: Running, who: str) -> str:
    """The one-time link the bot answers ``/web`` with, in ``who``'s private chat."""
    person = here.people[who]
    mark = here.fake.mark()
    here.fake.send_text(person, person, "/web")
    await here.fake.wait_for("sendMessage", chat_id=person["id"], since=mark, timeout=30)
    text = here.fake.last_bot_message(person)["text"]
    found = re.search(r"https?://\S+", text)
    assert found is not None, text
    path = urlsplit(found.group()).path
    assert path.startswith("/web/login/")
    return here.site + path  # the site's address on this test's free port


class Tab:
    """A browser page that records console errors (a CSP violation is one) and uncaught
    script errors, and saves numbered screenshots."""

    def __init__(self, page, shots: Path) -> None:
        self.page = page
        self.errors: list[str] = []
        self.shots = shots
        shots.mkdir(parents=True, exist_ok=True)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(  # which resource failed, beside the console's bare "Failed to load"
            "response",
            lambda r: (
                r.status >= 400
                and r.request.resource_type != "document"
                and self.errors.append(f"{r.status} {r.url}")
            ),
        )

    async def shot(self, name: str) -> Path:
        path = self.shots / f"{len(list(self.shots.iterdir())):02d}-{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path

    async def check(self, what: str) -> None:
        """The page has one h1, fits the width (a wide table scrolls in its own box) and
        logged no error."""
        page = self.page
        assert await page.locator("h1").count() == 1, what
        assert (await page.locator("h1").inner_text()).strip(), what
        scroll, inner = await page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        assert scroll <= inner, f"{what}: {scroll} px wide in a {inner} px window"
        assert not self.errors, f"{what}: {self.errors}"


async def log_in(here: Running, browser, who: str, viewport: dict, shots: Path) -> Tab:
    context = await browser.new_context(viewport=viewport, locale="vi-VN")
    tab = Tab(await context.new_page(), shots)
    shown = await tab.page.goto(await link_from_the_bot(here, who))
    assert shown is not None and shown.status == 200
    await tab.check("the login button's page")
    async with tab.page.expect_navigation():
        await tab.page.locator("main form button[type=submit]").click()
    assert urlsplit(tab.page.url).path == "/web/"
    return tab


async def open_page(tab: Tab, url: str, status: int = 200):
    answer = await tab.page.goto(url)
    assert answer is not None and answer.status == status, f"{url}: {answer and answer.status}"
    return answer


def shape(path: str) -> str:
    """/web/units/12 → /web/units/<n>: pages of one kind, crawled a few at a time."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", path)


async def test_the_office_reads_every_page(running: Running, chromium, tmp_path: Path) -> None:
    here = running
    shots = tmp_path / "screenshots"
    tab = await log_in(here, chromium, "office", PHONE, shots)
    page = tab.page
    await tab.check("the overview at 390 px")
    await tab.shot("overview-phone")
    assert "An" in await page.locator("header .who").text_content()  # hidden on a phone
    chart = page.locator("figure.chart img")
    assert await chart.count() == 1
    assert await chart.evaluate("img => img.complete && img.naturalWidth > 0")

    # The navigation: each entry opens its page.
    nav = [await a.get_attribute("href") for a in await page.locator("header nav a").all()]
    assert "/web/" in nav and "/web/units" in nav
    await page.locator("header nav a[href='/web/units']").click()
    await page.wait_for_url("**/web/units")
    await tab.check("the units at 390 px")
    await tab.shot("units-phone")
    rows = page.locator("table.units tbody tr")
    total = await rows.count()
    assert total >= 100  # the demo province's communes and wards, its departments

    # Sorted by name through the column's link, then filtered by kind and state.
    await page.locator("table.units thead a[href*='sort=name']").click()
    await page.wait_for_url("**sort=name**")
    names = await page.locator("table.units tbody td:first-child").all_inner_texts()
    assert len(names) == total and names == sorted(names, key=fold)
    await page.select_option("select[name=kind]", "phuong")
    await page.select_option("select[name=state]", "overdue")
    async with page.expect_navigation():
        await page.locator("form.filters button[type=submit]").click()
    assert "kind=phuong" in page.url and "state=overdue" in page.url
    await tab.check("the units filtered")
    shown = await rows.count()
    assert 0 < shown < total
    assert all(n.startswith("Phường") for n in await page.locator(
        "table.units tbody td:first-child").all_inner_texts())  # fmt: skip
    classes = await rows.evaluate_all("rows => rows.map(r => r.className)")
    assert set(classes) == {"overdue"}

    # Searched without diacritics, as typed on a phone: "son duong" finds Xã Sơn Dương.
    await page.goto(here.site + "/web/units")
    await page.fill("input[name=q]", "son duong")
    async with page.expect_navigation():
        await page.locator("form.filters button[type=submit]").click()
    first = page.locator("table.units tbody tr:first-child td:first-child a")
    assert (await first.inner_text()).strip() == OWN_UNIT
    await tab.shot("units-search")
    await first.click()
    await page.wait_for_url(f"**/web/units/{here.units[OWN_UNIT]}")
    await tab.check("one unit at 390 px")
    assert OWN_UNIT in await page.locator("h1").inner_text()
    await tab.shot("unit-phone")

    # Every page reachable from the navigation, a few of each kind, at 390 px.
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    queue = [p for p in nav if p]
    while queue:
        path = queue.pop(0)
        if path in seen or per_shape.get(shape(urlsplit(path).path), 0) >= CRAWL_PER_SHAPE:
            continue
        seen.add(path)
        per_shape[shape(urlsplit(path).path)] = per_shape.get(shape(urlsplit(path).path), 0) + 1
        await open_page(tab, here.site + path)
        await tab.check(path)
        await tab.shot("crawl-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-"))
        for href in await page.eval_on_selector_all(
            "a[href]", "as => as.map(a => a.getAttribute('href'))"
        ):
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/web"):
                continue
            if target.path.startswith(("/web/login", "/web/static")) or target.path.endswith(
                (".svg", ".docx", ".xlsx")
            ):
                continue  # files: fetched below, not pages
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    assert {"/web/", "/web/units"} <= seen
    assert any(shape(urlsplit(p).path) == "/web/units/<n>" for p in seen)

    # At desktop width, as on a projector.
    await page.set_viewport_size(DESKTOP)
    for path, name in (("/web/", "overview-desktop"), ("/web/units", "units-desktop")):
        await open_page(tab, here.site + path)
        await tab.check(f"{path} at 1366 px")
        assert await page.locator("th.wide").first.is_visible() if path == "/web/units" else True
        await tab.shot(name)

    # Logging out with the button ends the session.
    async with page.expect_navigation():
        await page.locator("form.logout button[type=submit]").click()
    assert urlsplit(page.url).path == "/web/login"
    await tab.check("logged out")
    await page.goto(here.site + "/web/")
    assert urlsplit(page.url).path == "/web/login"
    assert len(list(shots.iterdir())) >= 6 + len(seen)
    await page.context.close()


async def test_an_official_sees_their_own_unit_only(
    running: Running, chromium, tmp_path: Path
) -> None:
    here = running
    tab = await log_in(here, chromium, "official", PHONE, tmp_path / "screenshots")
    page = tab.page
    await tab.check("the official's overview")
    own = page.locator(f"main a[href='/web/units/{here.units[OWN_UNIT]}']")
    assert await own.count() >= 1
    await own.first.click()
    await page.wait_for_url(f"**/web/units/{here.units[OWN_UNIT]}")
    await tab.check("the official's unit")
    await tab.shot("official-unit")
    other = next(i for name, i in here.units.items() if name.startswith("Phường"))
    await open_page(tab, f"{here.site}/web/units/{other}", status=403)
    assert await page.locator("h1").count() == 1
    await tab.shot("official-other-unit-403")
    await page.context.close()
