"""Transport-neutral messages: what a person sent, and what the bot answers.

Telegram (``handlers/``) and the offline console (``bot/console.py``) both turn their
input into an :class:`Incoming` and deliver the :class:`Reply` objects the core returns.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data


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
