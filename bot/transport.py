"""Transport-neutral messages: what a person sent, and what the bot answers.

Telegram (``handlers/``) and the offline console (``bot/console.py``) both turn their
input into an :class:`Incoming` and deliver the :class:`Reply` objects the core returns.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime

# Telegram's limits on what a bot sends (the Bot API answers 400 past them). Lengths are
# counted in UTF-16 code units after entity parsing: a Vietnamese letter is one, an emoji
# outside the Basic Multilingual Plane two.
MAX_CALLBACK_BYTES = 64  # callback_data, in UTF-8 bytes
MAX_TEXT = 4096  # a message's text
MAX_CAPTION = 1024  # a picture's or a file's caption
MAX_NOTICE = 200  # the text shown when a button is pressed (answerCallbackQuery)
MAX_BUTTONS = 100  # buttons in one inline keyboard


class Kind(enum.StrEnum):
    TEXT = "text"
    COMMAND = "command"
    CALLBACK = "callback"
    EDITED = "edited"
    MEDIA = "media"
    BOT_ADDED = "bot_added"
    BOT_REMOVED = "bot_removed"
    OTHER = "other"


class ChatType(enum.StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


@dataclass(frozen=True)
class ChatRef:
    id: int
    type: ChatType
    title: str | None = None

    @property
    def is_group(self) -> bool:
        return self.type in (ChatType.GROUP, ChatType.SUPERGROUP)


@dataclass(frozen=True)
class UserRef:
    id: int
    full_name: str
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class FileRef:
    """A file sent with a message. ``content`` is filled in when the transport fetched it
    (private chats of registered people, within ``MAX_FILE_BYTES``)."""

    name: str
    size: int | None = None
    file_id: str | None = None
    content: bytes | None = None
    photo: bool = False  # a picture (Telegram's compressed photo), not a file


MAX_FILE_BYTES = 20 * 1024 * 1024  # the Bot API's download limit


@dataclass(frozen=True)
class Incoming:
    """One thing a person did: a message, a command, a button press, adding the bot."""

    transport: str
    update_id: int
    kind: Kind
    chat: ChatRef
    user: UserRef | None
    date: datetime
    text: str | None = None
    command: str | None = None
    args: tuple[str, ...] = ()
    callback_data: str | None = None
    message_id: int | None = None
    reply_to_bot: bool = False
    file: FileRef | None = None
    # The bot that received it (Telegram: its id, before ":" in the token); update ids
    # are unique per bot only. 0 for the console and the demo.
    bot_id: int = 0


@dataclass(frozen=True)
class Button:
    label: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    is_picture: bool = False
    caption: str | None = None


@dataclass
class Reply:
    """What the bot says: text, optional buttons (rows), optional pictures and files.

    ``chat_id`` is None for "the chat the message came from". ``notice`` is the short
    text shown when a button is pressed (Telegram's answerCallbackQuery). ``bold`` lists
    parts of ``text`` to show in bold: the first occurrence of each (Telegram gets them as
    message entities, the console between ``**``); one not found in the text is ignored.
    """

    text: str = ""
    buttons: list[list[Button]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    chat_id: int | None = None
    notice: str | None = None
    bold: tuple[str, ...] = ()

    def bold_spans(self) -> list[tuple[int, int]]:
        """(start, end) in ``text`` (Python characters) of each bold part found, in order."""
        spans = []
        for part in self.bold:
            start = self.text.find(part) if part else -1
            if start >= 0:
                spans.append((start, start + len(part)))
        return sorted(spans)


def utf16_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _cut_before(text: str, start: int, end: int, keep: list[tuple[int, int]]) -> int | None:
    """The best place to cut ``text[start:end]`` so that the piece ends before it: after
    its last line break, else its last space, never inside a kept span; None if none."""
    for separator in ("\n", " "):
        at = text.rfind(separator, start + 1, end)
        while at > start:
            if not any(s < at < e for s, e in keep):
                return at
            at = text.rfind(separator, start + 1, at)
    return None


def split_text(
    text: str, limit: int = MAX_TEXT, keep: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """``(start, end)`` ranges of ``text`` (Python indices) for pieces of at most ``limit``
    UTF-16 code units: cut at a line break where possible (the break itself is dropped),
    else at a space, and only in a word or inside a ``keep`` span (a bold part) when a
    single line is longer than ``limit``. Pieces holding only white space are left out;
    a text within the limit is one piece."""
    keep = keep or []
    # ends[i]: UTF-16 code units of text[:i]
    ends = [0, *itertools.accumulate(2 if ord(ch) > 0xFFFF else 1 for ch in text)]
    pieces: list[tuple[int, int]] = []
    start = 0
    while ends[len(text)] - ends[start] > limit:
        # The furthest end the limit allows (bisect on the running lengths).
        low, high = start, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if ends[middle] - ends[start] <= limit:
                low = middle
            else:
                high = middle - 1
        end = low
        cut = _cut_before(text, start, end + 1, keep)  # a break just past the limit counts
        if cut is None:
            cut, after = end, end
        else:
            after = cut + 1
        pieces.append((start, cut))
        start = after
    pieces.append((start, len(text)))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def fit(reply: Reply) -> list[Reply]:
    """The reply as messages Telegram accepts, in the order they are sent.

    Views summarise long lists themselves; this is the last guard: a text over
    :data:`MAX_TEXT` becomes several messages cut at line breaks (each bold part goes
    with the piece that holds it, the buttons with the last piece); a caption over
    :data:`MAX_CAPTION` is sent as a text before its file; a keyboard keeps its first
    :data:`MAX_BUTTONS` buttons; a notice is shortened to :data:`MAX_NOTICE`.
    """
    notice = reply.notice
    if notice is not None and utf16_length(notice) > MAX_NOTICE:
        notice = _shorten_to(notice, MAX_NOTICE)
    buttons, room = [], MAX_BUTTONS
    for row in reply.buttons:
        if room <= 0:
            break
        buttons.append(row[:room])
        room -= len(row)
    messages: list[Reply] = []
    if reply.text:
        spans = reply.bold_spans()
        for start, end in split_text(reply.text, MAX_TEXT, spans):
            bold = tuple(
                part
                for part, (s, e) in zip(reply.bold, _first_spans(reply), strict=True)
                if s >= 0 and start <= s and e <= end
            )
            messages.append(Reply(reply.text[start:end], chat_id=reply.chat_id, bold=bold))
        if messages:
            messages[-1].buttons = buttons
    for item in reply.attachments:
        if item.caption and utf16_length(item.caption) > MAX_CAPTION:
            messages += fit(Reply(item.caption, chat_id=reply.chat_id))
            item = replace(item, caption=None)
        messages.append(Reply(attachments=[item], chat_id=reply.chat_id))
    if not messages:
        messages.append(Reply(chat_id=reply.chat_id, buttons=buttons))
    messages[0].notice = notice
    return messages


def _first_spans(reply: Reply) -> list[tuple[int, int]]:
    """(start, end) of the first occurrence of each bold part, (-1, -1) if not found."""
    spans = []
    for part in reply.bold:
        start = reply.text.find(part) if part else -1
        spans.append((start, start + len(part)) if start >= 0 else (-1, -1))
    return spans


def _shorten_to(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 code units, ending with "…"."""
    kept, size = [], 0
    for ch in text:
        size += utf16_length(ch)
        if size > limit - 1:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + "…"
