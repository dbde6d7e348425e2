"""Real processes for the tests and benches that run the bot as it is deployed: the area
and its officials in the database, the environment ``dondoc run`` gets, nginx started on
deploy/nginx.conf as written (its placeholders and ports rendered for this machine), and
a :class:`Cluster` of ``dondoc run`` instances (webhook mode behind nginx, or one polling)
on one database, any of which can be killed with SIGKILL and started again.

Used by tests/e2e (webhook, crash, fault), tests/deploy (nginx) and bench/webhook_throughput.
Everything started is stopped on the way out, whatever happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import select

from bot.services import plans
from bot.services.identity import Actor
from bot.services.units import import_units, unit_catalogue
from storage.db import Database
from storage.models import Official, Role, Unit
from tests.fakebot import Call, FakeBotAPI

DATA = Path(__file__).parent / "data"
PLAN = DATA / "plans" / "quyet-dinh-huyen-son-tay-2025.txt"
DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
NGINX_CONF = DEPLOY / "nginx.conf"
WEBHOOK_URL = "https://bot.example.gov.vn/tg/hook-path"
WEBHOOK_SECRET = "the_secret-42"
START_TIMEOUT = 60.0  # seconds for a process to import, connect and serve (a slow machine)
REMINDER = "⏰"  # how a reminder's text begins


class Unavailable(RuntimeError):
    """A part the run needs is not on this machine (nginx, openssl): tests skip."""


def area(db: Database, fake: FakeBotAPI, people: int = 30) -> list[dict]:
    """The Sơn Tây units, the district's plan, and ``people`` officials, one unit after
    another (several per unit past the 22 units); returns their Telegram users."""
    import_units(db, DATA / "son-tay-units.csv")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = plans.read_plan(PLAN.read_bytes(), PLAN.name, catalogue, 2025)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    now = datetime.now(UTC)
    plans.confirm(db, plans.store_draft(db, resolved, PLAN.name, office, now), now)
    users = []
    with db.session() as session:
        units = session.scalars(select(Unit.id).order_by(Unit.id)).all()
        for n in range(people):
            user = fake.add_user(first_name=f"Cán bộ {n}", language_code="vi")
            session.add(
                Official(
                    telegram_user_id=user["id"],
                    role=Role.OFFICIAL,
                    unit_id=units[n % len(units)],
                    full_name=f"Cán bộ {n}",
                )
            )
            users.append(user)
    return users


async def until(condition, timeout: float) -> None:  # noqa: ASYNC109
    """Wait for ``condition()`` while other processes work (polled, bounded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not reached in {timeout} s")
        await asyncio.sleep(0.05)


async def until_ready(client: httpx.AsyncClient, timeout: float = START_TIMEOUT) -> None:  # noqa: ASYNC109
    """Until /readyz answers 200 (the bot binds its port before its post_init)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = None
    while loop.time() < deadline:
        try:
            last = await client.get("/readyz", timeout=timeout)
            if last.status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = exc
        await asyncio.sleep(0.05)
    raise AssertionError(f"/readyz never answered 200: {last!r}")


def bot_env(fake: FakeBotAPI, base_url: str, database_url: str, cwd: Path, **extra: str) -> dict:
    """The environment of ``dondoc run`` against the fake Bot API at ``base_url``: no
    reminders (the quiet hours last all day) unless ``extra`` says otherwise."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(cwd)),  # matplotlib's font cache is kept there
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": base_url,
        "DATABASE_URL": database_url,
        "DONDOC_QUIET_START": "00:00",
        "DONDOC_QUIET_END": "23:59",
        "DONDOC_LISTEN": "127.0.0.1:0",
        **extra,
    }


class Replies:
    """The bot's messages per chat as they reach the fake (a listener: nothing is scanned):
    answers to updates, reminders apart, and the answers to pressed buttons."""

    def __init__(self, fake: FakeBotAPI) -> None:
        self.replies: dict[int, list[Call]] = defaultdict(list)
        self.reminders: dict[int, list[Call]] = defaultdict(list)
        self.answers: list[Call] = []  # answerCallbackQuery
        self.changed: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        fake.listeners.append(self.heard)

    def heard(self, call: Call) -> None:
        if not call.ok:
            return
        if call.method == "answerCallbackQuery":
            self.answers.append(call)
        if call.method != "sendMessage":
            return
        chat = int(call.params["chat_id"])
        text = str(call.params.get("text", ""))
        (self.reminders if text.startswith(REMINDER) else self.replies)[chat].append(call)
        self.changed[chat].set()

    async def wait(self, chat: int, condition: Callable[[list[Call]], bool]) -> None:
        """Until ``condition`` holds for the chat's replies (callers bound the time)."""
        while not condition(self.replies[chat]):
            self.changed[chat].clear()
            await self.changed[chat].wait()


@contextlib.asynccontextmanager
async def delivering(fake: FakeBotAPI, client: httpx.AsyncClient) -> AsyncIterator[asyncio.Task]:
    """``fake.serve_webhook(client)`` for the duration of the block, stopped on the way
    out whatever happened."""
    task = asyncio.create_task(fake.serve_webhook(client))
    try:
        yield task
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if found is None:
        raise Unavailable("nginx is not installed (apt install nginx; .ci/run installs it)")
    return found


def self_signed(directory: Path, domain: str = "bot.example.gov.vn") -> tuple[Path, Path]:
    """A throwaway certificate and key for ``domain``."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise Unavailable("openssl is not installed: no certificate for nginx to load")
    cert, key = directory / "cert.pem", directory / "key.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [openssl, *request, "-subj", f"/CN={domain}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def render_nginx(text: str, tmp: Path, http: int, https: int, instances: list[int]) -> str:
    """deploy/nginx.conf with its documented placeholders (the certificate and key) and
    its ports rendered: this machine's 80/443 and 8081-8083 may be taken (or need root).
    Nothing else changes."""
    cert, key = self_signed(tmp)
    domain = "bot.example.gov.vn"
    text = text.replace(f"/etc/letsencrypt/live/{domain}/fullchain.pem", str(cert))
    text = text.replace(f"/etc/letsencrypt/live/{domain}/privkey.pem", str(key))
    text = re.sub(r"listen \[::\]:\d+[^;]*;\n", "", text)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http};")
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{https} ssl;")
    for written, port in zip((8081, 8082, 8083), instances, strict=True):
        text = text.replace(f"server 127.0.0.1:{written} ", f"server 127.0.0.1:{port} ")
    return text


def nginx_main_conf(tmp: Path, site: Path) -> Path:
    """A main configuration including ``site`` as Debian's includes sites-enabled/, its
    pid, logs and temporary files under ``tmp``."""
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp / "nginx-main.conf"
    main.write_text(
        f"pid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\nevents {{}}\n"
        f"http {{\n    access_log {tmp / 'access.log'};\n{temp}\n    include {site};\n}}\n",
        encoding="utf-8",
    )
    return main


def prepare_nginx(tmp: Path, instances: list[int]) -> tuple[str, Path, int, int]:
    """nginx, its main configuration in front of ``instances`` (checked with nginx -t),
    and its HTTP and HTTPS ports."""
    nginx = nginx_binary()
    http, https = free_port(), free_port()
    site = tmp / "dondoc.conf"
    text = NGINX_CONF.read_text(encoding="utf-8")
    site.write_text(render_nginx(text, tmp, http, https, instances), "utf-8")
    main = nginx_main_conf(tmp, site)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp), "-c", str(main)], capture_output=True, text=True
    )
    if checked.returncode != 0:
        raise AssertionError(f"nginx -t failed: {checked.stderr}")
    return nginx, main, http, https


async def stop(process: asyncio.subprocess.Process, timeout: float = 30) -> None:  # noqa: ASYNC109
    """SIGTERM, then SIGKILL if it is still there after ``timeout``."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()


@dataclass
class Instance:
    """One ``dondoc run`` process: its port (fixed, so nginx knows it) and log."""

    name: str
    port: int
    log: Path
    process: asyncio.subprocess.Process | None = None
    starts: int = 0
    kills: list[float] = field(default_factory=list)

    def tail(self, chars: int = 2000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ({self.log.name}) ---\n{text[-chars:]}"


class Cluster:
    """``instances`` ``dondoc run`` processes on ``database_url`` against the fake Bot API
    at ``base_url``: in webhook mode behind nginx on deploy/nginx.conf (which names three
    instances: with fewer, the others are ports where nothing listens, passed over by
    nginx), or polling (one instance, no nginx). An async context manager: everything is
    stopped on the way out. ``env`` adds to each instance's environment."""

    def __init__(
        self,
        fake: FakeBotAPI,
        base_url: str,
        database_url: str,
        workdir: Path,
        *,
        instances: int = 3,
        webhook: bool = True,
        env: dict[str, str] | None = None,
    ) -> None:
        if not webhook and instances != 1:
            raise ValueError("Telegram lets one process poll a bot")
        if instances > 3:
            raise ValueError("deploy/nginx.conf names three instances")
        self.fake, self.base_url, self.database_url = fake, base_url, database_url
        self.workdir, self.webhook, self.env = workdir, webhook, env or {}
        self.instances = [
            Instance(f"instance {n + 1}", free_port(), workdir / f"bot-{n + 1}.log")
            for n in range(instances)
        ]
        self.spare_ports = [free_port() for _ in range(3 - instances)] if webhook else []
        self.nginx: asyncio.subprocess.Process | None = None
        self.https = 0

    async def __aenter__(self) -> Cluster:
        try:
            if self.webhook:
                self.fake.webhook_url, self.fake.webhook_secret = WEBHOOK_URL, WEBHOOK_SECRET
                ports = [i.port for i in self.instances] + self.spare_ports
                nginx, main, _http, self.https = await asyncio.to_thread(
                    prepare_nginx, self.workdir, ports
                )
                self.nginx = await asyncio.create_subprocess_exec(
                    nginx, "-p", str(self.workdir), "-c", str(main), "-g", "daemon off;",
                    stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
                )  # fmt: skip
            await asyncio.gather(*(self.start(i) for i in range(len(self.instances))))
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        running = [i.process for i in self.instances if i.process is not None]
        if self.nginx is not None:
            running.append(self.nginx)
        await asyncio.gather(*(stop(p) for p in running), return_exceptions=True)

    def environment(self, instance: Instance) -> dict[str, str]:
        extra = {"DONDOC_LISTEN": f"127.0.0.1:{instance.port}", **self.env}
        if self.webhook:
            extra |= {"DONDOC_WEBHOOK_URL": WEBHOOK_URL, "DONDOC_WEBHOOK_SECRET": WEBHOOK_SECRET}
        return bot_env(self.fake, self.base_url, self.database_url, self.workdir, **extra)

    async def start(self, index: int) -> None:
        """Start instance ``index`` and wait until its /readyz says it is ready."""
        instance = self.instances[index]
        instance.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=self.workdir,
            env=self.environment(instance),
            stdout=asyncio.subprocess.DEVNULL, stderr=instance.log.open("ab"),
        )  # fmt: skip
        instance.starts += 1
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{instance.port}") as direct:
            try:
                await until_ready(direct)
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{instance.tail()}") from exc

    async def kill(self, index: int) -> None:
        """SIGKILL instance ``index``: no shutdown, whatever it was doing."""
        instance = self.instances[index]
        assert instance.process is not None and instance.process.returncode is None
        instance.process.send_signal(signal.SIGKILL)
        await instance.process.wait()
        instance.kills.append(asyncio.get_running_loop().time())

    def client(self, **kwargs) -> httpx.AsyncClient:
        """A client to nginx's HTTPS port, as Telegram connects (webhook mode)."""
        return httpx.AsyncClient(
            base_url=f"https://127.0.0.1:{self.https}",
            verify=False,
            headers={"Host": "bot.example.gov.vn"},
            **kwargs,
        )

    def tails(self, chars: int = 2000) -> str:
        """The end of every instance's log and nginx's error log (for assertion messages)."""
        parts = [i.tail(chars) for i in self.instances]
        errors = self.workdir / "error.log"
        if errors.exists():
            parts.append(f"--- nginx error.log ---\n{errors.read_text(errors='replace')[-chars:]}")
        return "\n".join(parts)
