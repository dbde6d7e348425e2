"""The ``dondoc`` command: run the bot, the console, and the admin tools.

Help texts come from the locale catalogue (``DONDOC_LANGUAGE=en`` for English). Exit
codes: 0 done, 1 the input was refused (nothing stored), 2 the environment is wrong
(bad configuration, unreachable or mismatched database, wrong usage).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import ipaddress
import json
import logging
import re
import socket
import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.config import INVITE_DAYS, Settings
from bot.i18n import translations
from bot.services import identity, units
from storage import backup as backups
from storage.catalogue import UnknownProvince
from storage.db import Database, DatabaseError, safe_url
from storage.models import Role


class Refused(Exception):
    """The input was refused: print the message, exit 1."""


def _parser(_: Any) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dondoc",
        description=_("Đôn Đốc: track the plan for controlling administrative procedures."),
    )
    parser.add_argument("--database-url", help=_("database URL (default: DATABASE_URL)"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("run", help=_("run the bot (without a token: the console on demo data)"))

    hook = sub.add_parser(
        "webhook", help=_("Telegram's webhook registration (DONDOC_WEBHOOK_URL)")
    ).add_subparsers(dest="webhook_command", required=True, metavar="ACTION")
    for name, text in (
        ("set", _("register DONDOC_WEBHOOK_URL with DONDOC_WEBHOOK_SECRET")),
        ("delete", _("remove the webhook (the bot can poll again)")),
    ):
        action = hook.add_parser(name, help=text)
        action.add_argument(
            "--drop-pending-updates",
            action="store_true",
            help=_("also drop the updates Telegram is still holding (never by default)"),
        )
        if name == "set":
            action.add_argument(
                "--certificate",
                type=Path,
                metavar="PEM",
                help=_("a self-signed certificate to upload (the public .pem, never the key)"),
            )
            action.add_argument(
                "--ip-address",
                type=ipaddress.ip_address,
                metavar="IP",
                help=_("the address Telegram sends to instead of resolving the domain"),
            )
            action.add_argument(
                "--max-connections",
                type=int,
                metavar="N",
                help=_("connections Telegram opens at once, 1 to 100 (Telegram's default: 40)"),
            )
    info = hook.add_parser("info", help=_("what Telegram has registered"))
    info.add_argument("--json", action="store_true", help=_("print one JSON object"))

    console = sub.add_parser("console", help=_("chat with the bot offline in this terminal"))
    console.add_argument("--as", dest="unit", metavar="UNIT", help=_("act as a person of UNIT"))
    console.add_argument("--role", choices=[r.value for r in Role], help=_("the person's role"))
    console.add_argument("--demo", action="store_true", help=_("use the demo database"))

    demo = sub.add_parser("demo", help=_("build the demo database (real units of a province)"))
    demo.add_argument("--force", action="store_true", help=_("rebuild it from scratch"))

    db = sub.add_parser("db", help=_("database schema")).add_subparsers(
        dest="db_command", required=True, metavar="ACTION"
    )
    db.add_parser("upgrade", help=_("apply pending migrations"))
    copy = db.add_parser(
        "copy", help=_("copy every table into an empty PostgreSQL database (from the SQLite trial)")
    )
    copy.add_argument(
        "--to", required=True, metavar="URL", help=_("the target: postgresql+psycopg://…")
    )
    current = db.add_parser("current", help=_("show the schema revision"))
    current.add_argument("--json", action="store_true", help=_("print one JSON object"))

    backup = sub.add_parser(
        "backup", help=_("back up the database to FILE (safe while the bot runs)")
    )
    backup.add_argument("file", type=Path, help=_("the backup file to write (a new file)"))
    backup.add_argument(
        "--timeout", type=float, default=3600, help=_("seconds pg_dump may run (default 3600)")
    )
    restore = sub.add_parser(
        "restore", help=_("replace the database with a backup (stop the bot first)")
    )
    restore.add_argument("file", type=Path, help=_("a file written by `dondoc backup`"))
    restore.add_argument(
        "--force", action="store_true", help=_("replace a database that is not empty")
    )
    restore.add_argument(
        "--timeout", type=float, default=3600, help=_("seconds pg_restore may run (default 3600)")
    )

    unit = sub.add_parser("units", help=_("the unit catalogue")).add_subparsers(
        dest="units_command", required=True, metavar="ACTION"
    )
    load = unit.add_parser("load-official", help=_("load a province's official units"))
    load.add_argument("--province", required=True, help=_("province name, e.g. “Tuyên Quang”"))
    load.add_argument("--json", action="store_true", help=_("print one JSON object"))
    imp = unit.add_parser("import", help=_("add units from a CSV or XLSX file"))
    imp.add_argument("file", type=Path, help=_("columns: name,kind,parent,aliases"))
    imp.add_argument("--json", action="store_true", help=_("print one JSON object"))
    lst = unit.add_parser("list", help=_("show the unit tree"))
    lst.add_argument("--json", action="store_true", help=_("print one JSON object"))
    match = unit.add_parser(
        "match", help=_("find the unit a text names (without TEXT: one query per input line)")
    )
    match.add_argument("text", nargs="?", metavar="TEXT", help=_("a unit name as written"))
    match.add_argument("--json", action="store_true", help=_("print one JSON object per query"))

    cal = sub.add_parser("calendar", help=_("days off and make-up working days")).add_subparsers(
        dest="calendar_command", required=True, metavar="ACTION"
    )
    cal_add = cal.add_parser("add", help=_("add a day off, or a weekend day worked (--working)"))
    cal_add.add_argument("day", type=_vn_or_iso_date, help=_("the date (dd/mm/yyyy or YYYY-MM-DD)"))
    cal_add.add_argument(
        "--working", action="store_true", help=_("a make-up working day (a Saturday worked)")
    )
    cal_add.add_argument("--note", help=_("why (shown in the list)"))
    cal_list = cal.add_parser("list", help=_("show the working days and holidays of a month"))
    cal_list.add_argument("month", nargs="?", help=_("the month (mm/yyyy), default this month"))

    parse = sub.add_parser(
        "parse",
        help=_("show how the bot reads a message, storing nothing (without TEXT: one per line)"),
    )
    parse.add_argument("text", nargs="?", metavar="TEXT", help=_("the message"))
    parse.add_argument(
        "--as", dest="unit", required=True, metavar="UNIT", help=_("the sender's unit")
    )
    parse.add_argument(
        "--role", choices=[r.value for r in Role], default="official", help=_("the sender's role")
    )
    parse.add_argument(
        "--today", type=date.fromisoformat, help=_("the date to read it on (YYYY-MM-DD)")
    )
    parse.add_argument("--json", action="store_true", help=_("print one JSON object per message"))

    plan = sub.add_parser(
        "plan", help=_("the plan: import a file, write the template")
    ).add_subparsers(dest="plan_command", required=True, metavar="ACTION")
    plan_import = plan.add_parser(
        "import", help=_("import a plan from a .docx, .xlsx or text file (previewed first)")
    )
    plan_import.add_argument("file", type=Path, help=_("the plan file"))
    plan_import.add_argument(
        "--year", type=int, help=_("the year to assume where the document gives none")
    )
    plan_import.add_argument(
        "--dry-run", action="store_true", help=_("only show the preview; import nothing")
    )
    plan_import.add_argument("--json", action="store_true", help=_("print one JSON object"))
    template = plan.add_parser("template", help=_("write Đôn Đốc's empty plan spreadsheet"))
    template.add_argument("file", type=Path, help=_("where to write it (.xlsx)"))

    report = sub.add_parser(
        "report", help=_("draft the periodic report upward (Word) or its workbook (Excel)")
    )
    report.add_argument(
        "--period",
        default="",
        help=_("“quý 3/2025”, “tháng 10”, “6 tháng”, “năm 2025” (default: the period just closed)"),
    )
    report.add_argument("--unit", help=_("one unit's report (default: the whole area)"))
    report.add_argument("--format", choices=("docx", "xlsx"), default="docx")
    report.add_argument("--out", type=Path, required=True, help=_("the file to write"))
    report.add_argument(
        "--today", type=date.fromisoformat, help=_("the date to draft it on (YYYY-MM-DD)")
    )

    invite = sub.add_parser("invite", help=_("make a one-time registration link"))
    invite.add_argument("--unit", help=_("the person's unit (required for an official)"))
    invite.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in Role],
        help=_("official, office, leader or admin"),
    )
    invite.add_argument(
        "--days",
        type=int,
        help=_("days the link stays valid ({low} to {high}; default DONDOC_INVITE_DAYS)").format(
            low=INVITE_DAYS[0], high=INVITE_DAYS[1]
        ),
    )
    invite.add_argument("--json", action="store_true", help=_("print one JSON object"))
    return parser


def _open(url: str) -> Database:
    db = Database(url)
    db.ensure_ready()
    return db


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str))


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database)
    return None


def build_demo(settings: Settings, *, force: bool = False, now: datetime | None = None) -> Database:
    """The demo database: the demo province's official units, its departments, a small
    plan (eleven tasks, five indicators) and, once, the reports its communes and wards sent
    up to ``now`` (default: the current time; see :mod:`bot.demo`)."""
    path = _sqlite_path(settings.demo_database_url)
    if force and path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(settings.demo_database_url)
    db.upgrade()  # the demo's own data: brought to this code's schema (a newer one refused)
    db.ensure_ready()
    report = units.load_official(db, settings.demo_province)
    template = resources.files("bot") / "data" / "demo-units.csv"
    text = template.read_text(encoding="utf-8").replace("{province}", report.province)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "demo-units.csv"
        csv_path.write_text(text, encoding="utf-8")
        units.import_units(db, csv_path)
    _demo_plan(db, report.province)
    _demo_reports(db, settings, now or datetime.now(UTC))
    return db


def _demo_plan(db: Database, province: str) -> None:
    from bot.services import plans

    now = datetime.now(UTC)
    if plans.current_plan_id(db, now.date()) is not None:  # a plan is imported
        return
    template = resources.files("bot") / "data" / "demo-plan.txt"
    text = template.read_text(encoding="utf-8").replace("{province_upper}", province.upper())
    with db.session() as session:
        catalogue = units.unit_catalogue(session)
    resolved = plans.read_plan(text.encode("utf-8"), "demo-plan.txt", catalogue, None)
    office = identity.Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolved, "demo-plan.txt", office, now), now)


def _demo_reports(db: Database, settings: Settings, now: datetime) -> None:
    """The demo's history of reports, sent through the bot's own services (once)."""
    from bot.demo import seed_reports

    seed_reports(db, settings, now)


def _console(settings: Settings, db: Database, unit: str | None, role: str | None, _: Any) -> int:
    from bot.console import Console, console_official
    from bot.core import Core

    # The web pages are served beside the console, so that the link /web prints opens.
    without = _("The console goes on without the web pages: the links of /web will not open.")
    sock = _listen(settings, _, required=False, without=without)
    settings = _reached_at(settings, sock)
    core = Core(db=db, settings=settings)
    try:
        official = console_official(core, unit, Role(role) if role else None)
    except units.UnitNotResolved as exc:
        if sock is not None:
            sock.close()
        raise Refused(_unit_problem(exc, settings)) from exc
    core.rebuild_schedule()  # the console has no job queue: /nhacviec shows what is planned
    console = Console(core, official, sys.stdout, Path(settings.output_dir))
    if sock is None:
        console.run()
        return 0
    from bot.web import create_pages_app, serving_in_background

    with serving_in_background(create_pages_app(core, settings), sock):
        console.run()
    sock.close()
    return 0


def _reached_at(settings: Settings, sock: socket.socket | None) -> Settings:
    """``settings`` with the web pages' address where ``sock`` really listens, when
    DONDOC_PUBLIC_URL does not say it (DONDOC_LISTEN's port 0: the one the system chose),
    so that the links of /web open."""
    if sock is None or settings.public_url:
        return settings
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return settings.model_copy(update={"public_url": f"http://{shown}:{port}"})


def _run(settings: Settings, url: str, _: Any) -> int:
    if settings.telegram_bot_token is None:
        print(
            _(
                "TELEGRAM_BOT_TOKEN is not set, so the bot opens the offline console on demo "
                "data. To connect to Telegram, create a bot with @BotFather, then put "
                "TELEGRAM_BOT_TOKEN=<token> in the environment or in a .env file."
            ),
            file=sys.stderr,
        )
        db = build_demo(settings)
        return _console(settings, db, None, None, _)
    import asyncio

    from telegram.error import InvalidToken

    from bot.app import TOKEN_REJECTED, build_application, connect

    webhook = settings.webhook_url is not None
    if webhook and settings.webhook_secret is None:
        print(_webhook_secret_missing(_), file=sys.stderr)
        return 2
    logging.getLogger().setLevel(logging.INFO)
    log = logging.getLogger(__name__)
    db = _open(url)
    sock = _listen(settings, _, required=webhook)
    if sock is None and webhook:
        return 2
    settings = _reached_at(settings, sock)
    app = build_application(settings, db, webhook=webhook)
    token = settings.telegram_bot_token.get_secret_value()

    def waiting(reason: str, delay: float) -> None:
        log.warning(
            _("Cannot reach Telegram (%s): trying again in %d seconds."),
            reason.replace(token, "<token>"),
            delay,
        )

    # The bot and its web app run in this event loop: connect in it first, so that an
    # unreachable Telegram is a line and a wait, not a traceback.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(connect(app, waiting))
    except (InvalidToken, KeyboardInterrupt) as stopped:
        loop.close()
        if sock is not None:
            sock.close()
        if isinstance(stopped, KeyboardInterrupt):
            return 0
        print(
            _("Telegram rejected TELEGRAM_BOT_TOKEN: check the token with @BotFather."),
            file=sys.stderr,
        )
        return 2
    log.info("Đôn Đốc starts %s", "serving the webhook" if webhook else "polling")
    try:
        loop.run_until_complete(serve(app, settings, sock, webhook=webhook))
    except KeyboardInterrupt:
        pass
    finally:
        loop.close()
        if sock is not None:
            sock.close()
    if app.bot_data.get(TOKEN_REJECTED):
        print(
            _("Telegram rejected TELEGRAM_BOT_TOKEN: check the token with @BotFather."),
            file=sys.stderr,
        )
        return 2
    return 0


def _webhook_secret_missing(_: Any) -> str:
    return _(
        "DONDOC_WEBHOOK_URL is set but DONDOC_WEBHOOK_SECRET is not: webhook mode needs a "
        "secret (1 to 256 characters of A-Z a-z 0-9 _ -) that Telegram sends back with every "
        "update. Set DONDOC_WEBHOOK_SECRET, or unset DONDOC_WEBHOOK_URL to poll."
    )


def _listen(
    settings: Settings, _: Any, *, required: bool, without: str | None = None
) -> socket.socket | None:
    """The listening socket of DONDOC_LISTEN. When it cannot be opened: in webhook mode
    (``required``) an error and None; when polling, a warning and None (the bot polls
    without the health endpoints); in the console, ``without`` says what it goes on
    without, and None."""
    host, port = settings.listen_address
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        # Bound now (a port taken is said at once) but not listening: uvicorn's server
        # listens once the bot is ready. Until then a connection is refused, and nginx
        # passes the request on to another instance at once; a listening socket would
        # hold it unread in its backlog while this process starts (seconds), and one
        # chat's later updates, posted to the others, would overtake it.
        sock.set_inheritable(True)
    except OSError as exc:
        text = _("cannot listen on DONDOC_LISTEN={listen} ({reason}).").format(
            listen=settings.listen, reason=exc.strerror or exc
        )
        if required:
            print(f"dondoc: {text}", file=sys.stderr)
        elif without:
            print(f"dondoc: {text} {without}", file=sys.stderr)
        else:
            logging.getLogger(__name__).warning(
                "%s %s", text, _("The bot polls without /healthz, /readyz and /metrics.")
            )
        return None
    shown = host if family == socket.AF_INET else f"[{host}]"
    address = f"http://{shown}:{sock.getsockname()[1]}"
    if without:
        print(_("Web pages: {address}/web (type /web for a login link)").format(address=address))
    else:
        logging.getLogger(__name__).info("listening on %s (/healthz, /readyz, /metrics)", address)
    return sock


async def serve(app: Any, settings: Settings, sock: socket.socket | None, *, webhook: bool) -> None:
    """Run the bot and its web app until SIGINT or SIGTERM (or until it stops itself)."""
    import asyncio
    import signal

    import uvicorn

    from bot.app import STOP
    from bot.web import create_web_app, running

    stopping = asyncio.Event()
    server = None
    if sock is not None:
        config = uvicorn.Config(
            create_web_app(app, settings, webhook=webhook),
            log_config=None,
            access_log=False,
            lifespan="off",
            proxy_headers=True,
        )
        server = uvicorn.Server(config)

    def stop(*_args: Any) -> None:
        stopping.set()
        if server is not None:
            server.should_exit = True

    app.bot_data[STOP] = stop
    for name in (signal.SIGINT, signal.SIGTERM):
        if server is None:
            asyncio.get_running_loop().add_signal_handler(name, stop)
        else:
            # Ours, not the default ones: uvicorn raises the signal again once it has
            # stopped, and the bot must still stop its Application after it.
            signal.signal(name, stop)
    async with running(app, webhook=webhook):
        if server is not None and sock is not None:
            await server.serve(sockets=[sock])
        else:
            await stopping.wait()


async def _webhook(args: argparse.Namespace, settings: Settings, _: Any) -> int:
    from telegram import Bot, InputFile, Update

    if settings.telegram_bot_token is None:
        print(_("TELEGRAM_BOT_TOKEN is not set."), file=sys.stderr)
        return 2
    kwargs: dict[str, Any] = {}
    if settings.telegram_api_base_url:
        kwargs["base_url"] = (
            settings.telegram_api_base_url.rstrip("/").removesuffix("/bot") + "/bot"
        )
    bot = Bot(settings.telegram_bot_token.get_secret_value(), **kwargs)
    async with bot:
        if args.webhook_command == "set":
            if settings.webhook_url is None:
                print(_("DONDOC_WEBHOOK_URL is not set."), file=sys.stderr)
                return 2
            if settings.webhook_secret is None:
                print(_webhook_secret_missing(_), file=sys.stderr)
                return 2
            if args.max_connections is not None and not 1 <= args.max_connections <= 100:
                raise Refused(_("--max-connections: a number from 1 to 100."))
            certificate = None
            if args.certificate is not None:
                data = _public_certificate(args.certificate, settings.language, _)
                certificate = InputFile(data, filename=args.certificate.name)
            await bot.set_webhook(
                settings.webhook_url,
                certificate=certificate,
                max_connections=args.max_connections,
                ip_address=str(args.ip_address) if args.ip_address else None,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=args.drop_pending_updates,
            )
            print(_("Webhook set: {url}").format(url=settings.webhook_url))
            if certificate is not None:
                print(_("Certificate uploaded: {path}").format(path=args.certificate))
            return 0
        if args.webhook_command == "delete":
            await bot.delete_webhook(drop_pending_updates=args.drop_pending_updates)
            print(_("Webhook removed: the bot can poll."))
            return 0
        info = await bot.get_webhook_info()
        data = {
            "url": info.url,
            "has_custom_certificate": info.has_custom_certificate,
            "pending_update_count": info.pending_update_count,
            "last_error_date": info.last_error_date,
            "last_error_message": info.last_error_message,
            "max_connections": info.max_connections,
            "ip_address": info.ip_address,
            "allowed_updates": list(info.allowed_updates or []),
        }
        if args.json:
            _print_json(data)
        else:
            for key, value in data.items():
                print(f"{key}: {value if value not in (None, '', []) else '-'}")
        return 0


_PEM_CERTIFICATE = re.compile(
    rb"-----BEGIN CERTIFICATE-----\r?\n(.*?)-----END CERTIFICATE-----", re.S
)
_PEM_PRIVATE_KEY = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")


def _public_certificate(path: Path, language: str, _: Any) -> bytes:
    """The PEM certificate in ``path``, to upload with setWebhook; refused when it cannot
    be read, is not a PEM certificate, or holds a private key (which must never leave the
    machine: Telegram needs only the public part)."""
    from bot.views.common import file_problem

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Refused(file_problem(path, exc, language)) from exc
    if _PEM_PRIVATE_KEY.search(data):
        raise Refused(
            _(
                "{path} holds a private key: it must never be sent to anyone. Give the "
                "public certificate only (the file openssl wrote with -out, not -keyout)."
            ).format(path=path)
        )
    blocks = _PEM_CERTIFICATE.findall(data)
    if not blocks:
        raise Refused(
            _(
                "{path} is not a PEM certificate (a text file starting with -----BEGIN "
                "CERTIFICATE-----). A binary (DER) one converts with: openssl x509 -inform "
                "der -in FILE -out FILE.pem"
            ).format(path=path)
        )
    for block in blocks:
        try:
            der = base64.b64decode(b"".join(block.split()), validate=True)
        except binascii.Error:
            der = b""
        if not der.startswith(b"\x30"):  # an X.509 certificate is a DER SEQUENCE
            raise Refused(_("{path}: the certificate is damaged.").format(path=path))
    return data


def _unit_lines(nodes: list[units.UnitNode], depth: int = 0) -> list[str]:
    lines = []
    for node in nodes:
        extra = f" [{node.code}]" if node.code else ""
        aliases = f" — {', '.join(node.aliases[:4])}{' …' if len(node.aliases) > 4 else ''}"
        lines.append("  " * depth + node.name + extra + (aliases if node.aliases else ""))
        lines += _unit_lines(node.children, depth + 1)
    return lines


def _dispatch(args: argparse.Namespace, settings: Settings, _: Any) -> int:
    url = args.database_url or settings.database_url
    now = datetime.now(UTC)
    if args.command == "run":
        return _run(settings, url, _)
    if args.command == "webhook":
        import asyncio

        from telegram.error import TelegramError

        try:
            return asyncio.run(_webhook(args, settings, _))
        except TelegramError as exc:
            token = (
                settings.telegram_bot_token.get_secret_value()
                if settings.telegram_bot_token
                else ""
            )
            reason = str(exc).replace(token, "<token>") if token else str(exc)
            message = _("Telegram refused: {reason}").format(reason=reason)
            print(f"dondoc: {message}", file=sys.stderr)
            return 2
    if args.command == "console":
        db = build_demo(settings) if args.demo else _open(url)
        return _console(settings, db, args.unit, args.role, _)
    if args.command == "demo":
        build_demo(settings, force=args.force)
        print(_("Demo database ready: {url}").format(url=settings.demo_database_url))
        return 0
    if args.command in ("backup", "restore"):
        return _backup(args, Database(url), _)
    if args.command == "db":
        db = Database(url)
        if args.db_command == "copy":
            return _copy(db, args.to, _)
        if args.db_command == "upgrade":
            print(
                _("Database at revision {current}; this code's revision is {head}.").format(
                    current=db.current_revision() or "-", head=db.head_revision()
                )
            )
            before, after = db.upgrade()
            print(
                _("Database at revision {after} (was {before}).").format(
                    after=after, before=before or "-"
                )
            )
            return 0
        current, head = db.current_revision(), db.head_revision()
        if args.json:
            _print_json({"current": current, "head": head, "dialect": db.dialect})
        else:
            print(
                _("Revision {current}; this code needs {head}.").format(
                    current=current or "-", head=head
                )
            )
        return 0
    db = _open(url)
    if args.command == "units":
        return _units(args, db, _, settings.language)
    if args.command == "invite":
        return _invite(args, db, settings, now, _)
    if args.command == "plan":
        return _plan(args, db, settings, now, _)
    if args.command == "parse":
        return _parse(args, db, settings, now, _)
    if args.command == "calendar":
        return _calendar(args, db, settings, now, _)
    if args.command == "report":
        return _report(args, db, settings, now, _)
    raise AssertionError(args.command)


def _backup(args: argparse.Namespace, db: Database, _: Any) -> int:
    if args.command == "backup":
        info = backups.backup(db, args.file, timeout=args.timeout)
        print(
            _("Backup written: {path} ({size} bytes, schema revision {revision}).").format(
                path=info.path, size=info.size, revision=info.revision or "-"
            )
        )
        return 0
    restored = backups.restore(db, args.file, force=args.force, timeout=args.timeout)
    if restored.replaced:
        print(
            _("Replaced what the database held: {counts}.").format(
                counts=backups.describe_counts(restored.replaced)
            )
        )
    if restored.upgraded:
        print(
            _(
                "Restored {path}, taken at schema revision {backup}, then upgraded it to "
                "{revision}."
            ).format(path=args.file, backup=restored.backup_revision, revision=restored.revision)
        )
    else:
        print(
            _("Restored {path} (schema revision {revision}).").format(
                path=args.file, revision=restored.revision
            )
        )
    return 0


def _copy(source: Database, to: str, _: Any) -> int:
    target = Database(to)
    try:
        info = backups.copy_database(source, target)
    finally:
        target.dispose()
    print(
        _("Copied {rows} rows of {tables} tables into {url} (schema revision {revision}).").format(
            rows=sum(info.rows.values()),
            tables=len(info.rows),
            url=safe_url(target.url),
            revision=info.revision,
        )
    )
    return 0


def _units(args: argparse.Namespace, db: Database, _: Any, language: str) -> int:
    if args.units_command == "load-official":
        try:
            report = units.load_official(db, args.province)
        except UnknownProvince as exc:
            message = _("No province is called “{query}”.").format(query=exc.query)
            if exc.suggestions:
                message += " " + _("Closest: {names}.").format(names=", ".join(exc.suggestions))
            raise Refused(message) from exc
        if args.json:
            fields = (
                "province",
                "former_name",
                "units",
                "created",
                "renamed",
                "unchanged",
                "retired",
                "aliases_added",
            )
            _print_json({f: getattr(report, f) for f in fields})
            return 0
        if report.former_name:
            print(
                _("{former} is now part of {province}.").format(
                    former=report.former_name, province=report.province
                )
            )
        print(
            _(
                "{province}: {units} units — {created} new, {renamed} renamed, {unchanged} "
                "unchanged, {retired} retired; {aliases} former names added."
            ).format(
                province=report.province,
                units=report.units,
                created=report.created,
                renamed=report.renamed,
                unchanged=report.unchanged,
                retired=report.retired,
                aliases=report.aliases_added,
            )
        )
        return 0
    if args.units_command == "import":
        if not args.file.is_file():
            raise Refused(_("File not found: {path}").format(path=args.file))
        try:
            report = units.import_units(db, args.file)
        except OSError as exc:
            from bot.views.common import file_problem

            raise Refused(file_problem(args.file, exc, language)) from exc
        except units.UnitImportError as exc:
            errors = [
                {"line": e.line, "message": _(e.message).format(**e.args)} for e in exc.errors
            ]
            if args.json:
                _print_json({"ok": False, "errors": errors})
            else:
                print(_("The file was refused; nothing was stored:"), file=sys.stderr)
                for error in errors:
                    print(_("line {line}: {message}").format(**error), file=sys.stderr)
            return 1
        if args.json:
            _print_json(
                {
                    "ok": True,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                }
            )
        else:
            print(
                _("{created} new, {updated} updated, {unchanged} unchanged.").format(
                    created=len(report.created),
                    updated=len(report.updated),
                    unchanged=len(report.unchanged),
                )
            )
        return 0
    if args.units_command == "match":
        return _match(args, db, _)
    tree = units.unit_tree(db)
    if args.json:
        _print_json({"units": [n.as_dict() for n in tree]})
    else:
        print(
            "\n".join(_unit_lines(tree))
            or _("No units yet: run `dondoc units load-official --province …` first.")
        )
    return 0


def _match(args: argparse.Namespace, db: Database, _: Any) -> int:
    with db.session() as session:
        catalogue = units.unit_catalogue(session)
    queries = [args.text] if args.text is not None else (line.rstrip("\n") for line in sys.stdin)
    for query in queries:
        result = catalogue.match(query)
        if args.json:
            _print_json(result.as_dict())
            sys.stdout.flush()
            continue
        offered = "; ".join(f"{c.entry.name} ({c.score:.0f})" for c in result.candidates)
        label = {
            "match": _("match"),
            "ask": _("ask"),
            "none": _("none"),
        }[result.decision.value]
        print(f"{query}\t{label}\t{offered}")
    return 0


def _vn_or_iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        day, month, year = (int(part) for part in text.split("/"))
        return date(year, month, day)


def _calendar(
    args: argparse.Namespace, db: Database, settings: Settings, now: datetime, _: Any
) -> int:
    from scheduling.workdays import calendar
    from storage.models import CalendarDay

    if args.calendar_command == "add":
        with db.session() as session:
            row = session.get(CalendarDay, args.day) or CalendarDay(day=args.day)
            row.working, row.note = args.working, args.note
            session.merge(row)
        kind = _("a working day") if args.working else _("a day off")
        print(_("{date} is now {kind}.").format(date=args.day.strftime("%d/%m/%Y"), kind=kind))
        return 0
    today = now.astimezone(settings.tz).date()
    month, year = today.month, today.year
    if args.month:
        month, year = (int(part) for part in args.month.split("/"))
    cal = calendar(db)
    with db.session() as session:
        notes = {row.day: row.note for row in session.scalars(select(CalendarDay))}
    weekdays = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    day = date(year, month, 1)
    while day.month == month:
        mark = _("working") if cal.is_working_day(day) else _("day off")
        name = notes.get(day) or cal.holiday_name(day, settings.language)
        when = f"{day.strftime('%d/%m/%Y')} {weekdays[day.weekday()]}"
        print(f"{when}\t{mark}\t{name or ''}".rstrip())
        day += timedelta(days=1)
    return 0


def _parse(
    args: argparse.Namespace, db: Database, settings: Settings, now: datetime, _: Any
) -> int:
    from bot.services import reports
    from bot.views.reports import outcome_json

    with db.session() as session:
        try:
            unit = units.resolve_unit(session, args.unit)
        except units.UnitNotResolved as exc:
            raise Refused(_unit_problem(exc, settings)) from exc
        unit_id, unit_name = unit.id, unit.name
    actor = identity.Actor(
        user_id=None,
        language=settings.language,
        official_id=None,
        role=Role(args.role),
        unit_id=unit_id,
        unit_name=unit_name,
    )
    today = args.today or now.astimezone(settings.tz).date()
    intents = {
        "report": _("report"),
        "query": _("question"),
        "correction": _("correction"),
        "undo": _("undo"),
        "help": _("help"),
        "other": _("other"),
    }
    texts = [args.text] if args.text is not None else (line.rstrip("\n") for line in sys.stdin)
    for text in texts:
        outcome = reports.preview(db, text, actor, today, settings)
        data = outcome_json(outcome, settings.language)
        if args.json:
            _print_json(data)
            sys.stdout.flush()
        else:
            intent = intents.get(data["intent"], data["intent"])
            reply = data["reply"]
            if "question" in data:  # it reports and asks: both parts, the report first
                intent += " + " + intents["query"]
                reply += "\n" + data["question"]["reply"]
            print(f"{text}\t{intent}\t{reply}".replace("\n", " | "))
    return 0


def _plan(args: argparse.Namespace, db: Database, settings: Settings, now: datetime, _: Any) -> int:
    from bot.plans.xlsx import write_template
    from bot.services import plans
    from bot.views import plans as plan_views
    from bot.views.common import file_problem

    with db.session() as session:
        catalogue = units.unit_catalogue(session)
    if args.plan_command == "template":
        names = [e.name for e in catalogue.entries if e.kind not in ("tinh", "thanh_pho")]
        try:
            write_template(args.file, year=datetime.now(settings.tz).year, units=names)
        except OSError as exc:
            raise Refused(file_problem(args.file, exc, settings.language, writing=True)) from exc
        print(_("Template written: {path}").format(path=args.file))
        return 0
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise Refused(file_problem(args.file, exc, settings.language)) from exc
    try:
        resolved = plans.read_plan(data, args.file.name, catalogue, args.year)
    except plans.PlanError as exc:
        reply = plan_views.plan_error_reply(
            exc.reason, args.file.name, settings.language, exc.file_type
        )
        raise Refused(reply.text) from exc
    today = now.astimezone(settings.tz).date()
    summary = plans.dry_run_summary(db, resolved, args.file.name, today)
    outcome = None
    if not args.dry_run:
        actor = identity.Actor(user_id=None, language=settings.language)
        plan_id = plans.store_draft(db, resolved, args.file.name, actor, now)
        outcome = plans.confirm(db, plan_id, now)
    if args.json:
        data_out = plans.plan_json(resolved)
        data_out["imported"] = outcome is not None
        data_out["plan_id"] = outcome.plan_id if outcome else None
        _print_json(data_out)
        return 0
    print(plan_views.preview_text(summary, settings.language))
    if outcome is not None:
        print()
        choice = plans.plan_choice(db, today)
        print(plan_views.outcome_reply(outcome, settings.language, choice).text)
    return 0


def _report(
    args: argparse.Namespace, db: Database, settings: Settings, now: datetime, _: Any
) -> int:
    """``dondoc report``: as ``/xuat`` by an administrator, written to ``--out``."""
    from bot.areas import periodic as periodic_area
    from bot.core import Core
    from bot.services.access import NotAllowed
    from bot.views import periodic as periodic_views
    from bot.views.common import file_problem
    from bot.views.documents.report_docx import report_docx
    from bot.views.documents.report_xlsx import report_xlsx

    if args.today is not None:
        now = datetime.combine(args.today, time(12), settings.tz)
    core = Core(db, settings, clock=lambda: now)
    admin = identity.Actor(user_id=None, language=settings.language, role=Role.ADMIN)
    text = " ".join(filter(None, (args.period, args.unit)))
    try:
        draft = periodic_area.prepare(core, admin, text)
    except NotAllowed as exc:  # cannot happen for an administrator; said plainly if it does
        raise Refused(str(exc)) from exc
    if not isinstance(draft, periodic_area.Draft):
        raise Refused(draft.text)
    language = settings.language
    if args.format == "docx":
        chart = periodic_views.chart(draft.report, language)
        content = report_docx(draft.report, draft.template, chart, language)
    else:
        content = report_xlsx(draft.report, language)
    try:
        args.out.write_bytes(content)
    except OSError as exc:
        raise Refused(file_problem(args.out, exc, language, writing=True)) from exc
    start, end = draft.report.window
    print(
        _("Written: {path} (figures from {start} to {end}).").format(
            path=args.out, start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y")
        )
    )
    return 0


def _unit_problem(exc: units.UnitNotResolved, settings: Settings) -> str:
    from bot.views.common import unit_problem

    return unit_problem(exc.match, settings.language)


def _invite(
    args: argparse.Namespace, db: Database, settings: Settings, now: datetime, _: Any
) -> int:
    days = settings.invite_days if args.days is None else args.days
    if not INVITE_DAYS[0] <= days <= INVITE_DAYS[1]:
        raise Refused(
            _(
                "--days {days} is not possible: an invite link is valid for {low} to {high} days."
            ).format(days=days, low=INVITE_DAYS[0], high=INVITE_DAYS[1])
        )
    try:
        info = identity.create_invite(
            db,
            role=Role(args.role),
            unit_query=args.unit,
            now=now,
            days=days,
            created_by="cli",
            username=settings.bot_username,
        )
    except identity.InviteError as exc:
        raise Refused(_("An invite for an official needs --unit.")) from exc
    except units.UnitNotResolved as exc:
        raise Refused(_unit_problem(exc, settings)) from exc
    link = info.link or f"https://t.me/<bot>?start={info.code}"
    if args.json:
        _print_json(
            {
                "code": info.code,
                "link": link,
                "role": info.role.value,
                "unit": info.unit_name,
                "expires_at": info.expires_at.isoformat(),
            }
        )
        return 0
    from bot.views.common import role_name

    print(link)
    print(
        _("Code: {code} · {role}{unit} · valid until {date}").format(
            code=info.code,
            role=role_name(info.role, settings.language),
            unit=f" · {info.unit_name}" if info.unit_name else "",
            date=info.expires_at.astimezone(settings.tz).strftime("%d/%m/%Y %H:%M"),
        )
    )
    if info.link is None:
        print(
            _(
                "The bot's username is not known yet: start the bot once with its token, or "
                "set TELEGRAM_BOT_USERNAME, then make the link again."
            )
        )
    return 0


def _env_language() -> str:
    """The language asked for by DONDOC_LANGUAGE, when the settings themselves failed."""
    import os

    from bot.i18n import pick_language

    return pick_language(os.environ.get("DONDOC_LANGUAGE"))


def main(argv: list[str] | None = None) -> int:
    from bot import logs

    # Text until the settings are read (they say which format), then as they say.
    logs.configure("text")
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first.get("loc", ("?",))[0])
        name = Settings.model_fields[name].alias or name if name in Settings.model_fields else name
        _ = translations(_env_language()).gettext
        message = _("the setting {name} has a value that is not valid ({detail}).")
        print(f"dondoc: {message.format(name=name, detail=first['msg'])}", file=sys.stderr)
        return 2
    secrets = (
        (settings.telegram_bot_token.get_secret_value(),) if settings.telegram_bot_token else ()
    )
    if settings.webhook_secret is not None:
        secrets += (settings.webhook_secret.get_secret_value(),)
    logs.configure(settings.log_format, secrets)
    # httpx logs every request URL at INFO, and Telegram URLs contain the token
    # (build_application quiets it too); alembic's INFO lines are noise here, and so are
    # APScheduler's two lines for every run of every job (the reminders' tick: four a
    # minute per instance); a job that fails or runs late is still logged (WARNING, ERROR).
    for name in ("httpx", "httpcore", "alembic", "apscheduler.executors.default"):
        logging.getLogger(name).setLevel(logging.WARNING)
    _ = translations(settings.language).gettext
    args = _parser(_).parse_args(argv)
    try:
        return _dispatch(args, settings, _)
    except Refused as exc:
        print(f"dondoc: {exc}", file=sys.stderr)
        return 1
    except backups.BackupRefused as exc:
        print(f"dondoc: {_(exc.message).format(**exc.params)}", file=sys.stderr)
        return 1
    except DatabaseError as exc:
        print(f"dondoc: {_(exc.message).format(**exc.params)}", file=sys.stderr)
        return 2
