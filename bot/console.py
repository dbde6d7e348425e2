"""The offline console: chat with Đôn Đốc in a terminal, over the same core as Telegram.

Each line is one message (``/command`` lines are commands), a line ending in ``\\``
going on at the next (a message of several lines); buttons are printed as
numbered choices and typing the number presses one; bold text is shown between ``**``;
a reply too long for Telegram is printed as the messages Telegram would get;
pictures and files are saved to disk and their paths printed on a line of their own.
Everything is stored exactly as a Telegram message would be, with the transport
``console``.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select

from bot.core import Core
from bot.i18n import translations
from bot.services.units import resolve_unit
from bot.transport import (
    Button,
    ChatRef,
    ChatType,
    FileRef,
    Incoming,
    Kind,
    Reply,
    UserRef,
    fit,
)
from bot.views.common import error_reply, file_problem, new_reference, role_name
from storage.models import InboundMessage, Official, Role

log = logging.getLogger(__name__)

TRANSPORT = "console"
FILE_COMMANDS = {"tep", "file"}  # /tep PATH: send a file from this computer
COMMAND = re.compile(r"^/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+(.*))?$", re.S)


def console_official(core: Core, unit_query: str | None, role: Role | None) -> Official:
    """The registered person the console acts as, made on first use.

    With no unit and role: the first office user, or a demo office user. Console people
    get negative user ids, which Telegram never uses, so they cannot collide with real
    accounts.
    """
    with core.db.session() as session:
        unit = resolve_unit(session, unit_query) if unit_query else None
        role = role or (Role.OFFICIAL if unit else Role.OFFICE)
        stmt = select(Official).where(Official.role == role, Official.active.is_(True))
        if unit is not None:
            stmt = stmt.where(Official.unit_id == unit.id)
        official = session.scalars(stmt.order_by(Official.id)).first()
        if official is None:
            lowest = session.scalar(select(func.min(Official.telegram_user_id))) or 0
            _ = translations(core.settings.language).gettext
            who = role_name(role, core.settings.language, short=True)
            name = _("Console ({role})").format(role=f"{who}, {unit.name}" if unit else who)
            official = Official(
                telegram_user_id=min(lowest, 0) - 1,
                full_name=name,
                role=role,
                unit_id=unit.id if unit else None,
            )
            session.add(official)
            session.flush()
        session.refresh(official, ["unit"])
        return official


# A line ending so goes on at the next: one message of several lines, as an official
# types it on a phone ("1. nv 2.1 xong \\" then "2. so hoa 90%").
CONTINUED = "\\"


def messages(lines: Iterable[str]) -> Iterator[str]:
    """The messages the lines make: each line one, a line ending in ``\\`` joined to the
    next with a new line (a blank line ends the message); blank lines none."""
    parts: list[str] = []
    for raw in lines:
        line = raw.strip()
        if line.endswith(CONTINUED):
            parts.append(line[: -len(CONTINUED)].rstrip())
            continue
        message = "\n".join([*parts, line]).strip()
        parts = []
        if message:
            yield message
    if "\n".join(parts).strip():
        yield "\n".join(parts).strip()


def _with_bold(reply: Reply) -> str:
    """The text with its bold parts between ``**``."""
    text, out, at = reply.text, [], 0
    for start, end in reply.bold_spans():
        if start < at:
            continue  # overlapping parts: the first wins
        out += [text[at:start], "**", text[start:end], "**"]
        at = end
    return "".join(out) + text[at:]


class Console:
    def __init__(self, core: Core, official: Official, out: TextIO, output_dir: Path) -> None:
        self.core, self.out, self.output_dir = core, out, output_dir
        self.user = UserRef(
            official.telegram_user_id,
            official.full_name,
            None,
            official.locale or core.settings.language,
        )
        self.chat = ChatRef(official.telegram_user_id, ChatType.PRIVATE, None)
        self.buttons: list[Button] = []
        self.saved = 0  # files written, to keep their names apart
        self.language = official.locale or core.settings.language
        with core.db.session() as session:
            last = session.scalar(
                select(func.max(InboundMessage.update_id)).where(
                    InboundMessage.transport == TRANSPORT
                )
            )
        self.next_update = (last or 0) + 1

    def _incoming(self, line: str) -> Incoming:
        fields = {
            "transport": TRANSPORT,
            "update_id": self.next_update,
            "chat": self.chat,
            "user": self.user,
            "date": self.core.clock(),
            "message_id": self.next_update,
        }
        self.next_update += 1
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            return Incoming(
                **fields, kind=Kind.CALLBACK, callback_data=self.buttons[int(line) - 1].data
            )
        command = COMMAND.match(line)
        if command and command.group(1).lower() in FILE_COMMANDS:
            return self._file(fields, (command.group(2) or "").strip())
        if command:
            args = tuple((command.group(2) or "").split())
            return Incoming(
                **fields, kind=Kind.COMMAND, text=line, command=command.group(1).lower(), args=args
            )
        return Incoming(**fields, kind=Kind.TEXT, text=line)

    def _file(self, fields: dict, raw: str) -> Incoming:
        """``/tep PATH [caption]``: send a file, as if attached in Telegram (a path with
        spaces is taken whole when it names a file)."""
        path, caption = Path(raw).expanduser(), None
        if not path.is_file() and " " in raw:
            first, caption = raw.split(maxsplit=1)
            path = Path(first).expanduser()
        content = path.read_bytes()  # send() reports a file that cannot be read
        file = FileRef(path.name, len(content), None, content)
        return Incoming(**fields, kind=Kind.MEDIA, text=caption, file=file)

    def send(self, line: str) -> list[Reply]:
        """One line typed by the person: run it through the core and print the replies."""
        try:
            incoming = self._incoming(line)
        except OSError as exc:
            message = file_problem(exc.filename, exc, self.language)
            self.out.write(message + "\n\n")
            return []
        try:
            claim = self.core.begin(incoming)
            if claim is None:  # cannot happen with fresh ids, kept for symmetry with Telegram
                return []
            try:
                replies = self.core.handle(incoming, claim)
            finally:  # answered, with the apology below if it failed: the chat goes on
                self.core.finish(incoming.transport, incoming.update_id)
        except Exception:  # as in Telegram: every failure answers, with a reference
            reference = new_reference()
            log.exception("error %s while handling %r", reference, line)
            replies = [error_reply(reference, self.language)]
        self._print(replies)
        return replies

    def _print(self, replies: list[Reply]) -> None:
        # As in Telegram, the last buttons shown stay pressable until new ones appear.
        if any(reply.buttons for reply in replies):
            self.buttons = []
        for reply in [message for sent in replies for message in fit(sent)]:
            if reply.notice:
                self.out.write(f"({reply.notice})\n")
            if reply.text:
                self.out.write(_with_bold(reply) + "\n")
            for row in reply.buttons:
                for button in row:
                    self.buttons.append(button)
                    self.out.write(f"  [{len(self.buttons)}] {button.label}\n")
            for item in reply.attachments:
                self.output_dir.mkdir(parents=True, exist_ok=True)
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 - a file name
                self.saved += 1
                path = self.output_dir / f"{stamp}-{self.saved}-{item.filename}"
                path.write_bytes(item.content)
                if item.caption:
                    self.out.write(item.caption + "\n")
                self.out.write(f"{path}\n")
        self.out.write("\n")
        self.out.flush()

    def run(self, lines: Iterable[str] | None = None, prompt: Callable[[str], str] = input) -> None:
        """Read lines until the end of input (or ``/thoat`` at a terminal)."""
        _ = translations(self.language).gettext
        if lines is None and sys.stdin.isatty():
            self.out.write(
                _(
                    "Đôn Đốc console. Type a message as you would in Telegram; "
                    "/tep PATH sends a file; /trogiup for help, Ctrl-D or /thoat to leave."
                )
                + "\n\n"
            )
            lines = self._typed(prompt)
        for message in messages(lines if lines is not None else sys.stdin):
            self.send(message)

    def _typed(self, prompt: Callable[[str], str]) -> Iterator[str]:
        """The lines typed at a terminal, until Ctrl-D or ``/thoat``; a line going on a
        message is prompted with "… "."""
        going_on = False
        while True:
            try:
                line = prompt("… " if going_on else "> ")
            except (EOFError, KeyboardInterrupt):
                self.out.write("\n")
                return
            if line.strip() in ("/thoat", "/quit", "/exit"):
                return
            going_on = line.strip().endswith(CONTINUED)
            yield line
