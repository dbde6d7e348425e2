"""An in-memory fake of the Telegram Bot API for end-to-end tests.

The real PTB ``Application`` talks to :class:`FakeBotAPI` through ``httpx.MockTransport``::

    fake = FakeBotAPI()
    req = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(fake.handle)})

Tests then act as Telegram users (``fake.send_text``, ``fake.press``, ...) and read what the
bot did (``fake.wait_for``, ``fake.last_bot_message``, ``fake.calls``). No network, no sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import math
import mimetypes
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

if TYPE_CHECKING:
    from telegram.ext import Application, CallbackContext
    from telegram.request import HTTPXRequest

__all__ = [
    "BotAPIError",
    "Call",
    "FakeBotAPI",
    "UploadedFile",
    "running_app",
]

JSONDict = dict[str, Any]
ChatRef = Mapping[str, Any] | int | str
MethodHandler = Callable[[JSONDict], Any]

# Form fields whose values PTB sends as raw strings (everything else is JSON-encoded).
_STRING_PARAMS = frozenset(
    {
        "action", "address", "animation", "audio", "business_connection_id",
        "callback_query_id", "caption", "currency", "custom_title", "description",
        "document", "emoji", "explanation", "explanation_parse_mode", "file_id",
        "first_name", "foursquare_id", "foursquare_type", "game_short_name", "gift_id",
        "google_place_id", "google_place_type", "inline_message_id", "invite_link",
        "ip_address", "language_code", "last_name", "message_effect_id", "name",
        "next_offset", "parse_mode", "payload", "phone_number", "photo", "provider_token",
        "query", "question", "question_parse_mode", "secret_token", "short_description",
        "start_parameter", "sticker", "text", "text_parse_mode", "thumbnail", "title",
        "url", "vcard", "video", "video_note", "voice",
    }
)  # fmt: skip

_DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post",
        "business_connection", "business_message", "edited_business_message",
        "deleted_business_messages", "inline_query", "chosen_inline_result",
        "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media",
        "poll", "poll_answer", "my_chat_member", "chat_join_request", "chat_boost",
        "removed_chat_boost",
    }
)  # fmt: skip

_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip

_RESTRICTED_FLAGS = (
    "can_change_info", "can_invite_users", "can_pin_messages", "can_send_messages",
    "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
    "can_manage_topics", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_edit_tag",
    "can_react_to_messages",
)  # fmt: skip
_MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})
_PRESENT_STATUSES = frozenset({"creator", "administrator", "member", "restricted"})
_METHOD_PATH_RE = re.compile(r"/bot([^/]+)/([A-Za-z0-9_]+)")
_FILE_PATH_RE = re.compile(r"/file/bot([^/]+)/(.+)")
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
_MENTION_RE = re.compile(r"(?<!\S)@[A-Za-z0-9_]{5,32}\b")
_HASHTAG_RE = re.compile(r"(?<!\S)#\w+")
_URL_RE = re.compile(r"https?://[^\s<>\"]+")
_BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# Telegram's limits on what a bot sends; lengths in UTF-16 code units after entity parsing.
# Past them the Bot API answers 400 (the descriptions below are Telegram's own).
MAX_TEXT = 4096  # sendMessage: "message is too long"; editMessageText: "MESSAGE_TOO_LONG"
MAX_CAPTION = 1024  # "message caption is too long"
MAX_NOTICE = 200  # answerCallbackQuery's text: "MESSAGE_TOO_LONG"
MAX_CALLBACK_BYTES = 64  # callback_data in UTF-8 bytes: "BUTTON_DATA_INVALID"
MAX_INLINE_BUTTONS = 100  # buttons in one inline keyboard: "reply markup is too long"
# Methods that post a message and so count toward Telegram's flood limits in limits mode.
_LIMITED_EXTRA = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})


# --------------------------------------------------------------------------------------------
# Public value types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a ``multipart/form-data`` request."""

    filename: str
    content: bytes = field(repr=False)
    mime: str

    @property
    def size(self) -> int:
        """Size of the content in bytes."""
        return len(self.content)


@dataclass
class Call:
    """One Bot API request made by the bot, with decoded params and the JSON answer."""

    method: str
    params: JSONDict
    response: JSONDict | None = field(default=None, repr=False, compare=False)
    # ``time.monotonic()`` when the fake answered it (for latencies measured by the caller)
    at: float = field(default=0.0, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the fake answered ``{"ok": true, ...}``."""
        return bool(self.response and self.response.get("ok"))

    @property
    def result(self) -> Any:
        """The ``result`` of a successful answer (``None`` otherwise)."""
        return self.response.get("result") if self.response else None

    @property
    def error_code(self) -> int | None:
        """The ``error_code`` of a failed answer (``None`` otherwise)."""
        return self.response.get("error_code") if self.response else None


class BotAPIError(Exception):
    """An error answer of the Bot API; raise it from custom method handlers."""

    def __init__(
        self, error_code: int, description: str, parameters: JSONDict | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        """The JSON body Telegram answers for this error."""
        body: JSONDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(message: str) -> BotAPIError:
    return BotAPIError(400, f"Bad Request: {message}")


# --------------------------------------------------------------------------------------------
# Small internals
# --------------------------------------------------------------------------------------------


class _Notifier:
    """Wakes every coroutine currently waiting; waiters re-check their own condition."""

    def __init__(self) -> None:
        self._events: set[asyncio.Event] = set()

    def notify(self) -> None:
        for event in self._events:
            event.set()

    async def wait(self, seconds: float | None) -> bool:
        """Wait up to ``seconds`` for the next notification; ``False`` if none came."""
        event = asyncio.Event()
        self._events.add(event)
        try:
            await asyncio.wait_for(event.wait(), seconds)
        except TimeoutError:
            return False
        finally:
            self._events.discard(event)
        return True


@dataclass
class _Poll:
    terminated: bool = False


@dataclass
class _Failure:
    error: BotAPIError
    times: int


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    content: bytes
    filename: str | None
    mime: str | None
    file_path: str
    width: int = 0
    height: int = 0


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def _png_size(content: bytes) -> tuple[int, int] | None:
    if content.startswith(_PNG_SIGNATURE) and content[12:16] == b"IHDR" and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return None


def _id_of(ref: ChatRef) -> int | str:
    if isinstance(ref, Mapping):
        return ref["id"]
    return ref


def _scope_key(scope: Any) -> str:
    if scope is None:
        scope = {"type": "default"}
    elif isinstance(scope, str):
        scope = {"type": scope}
    elif hasattr(scope, "to_dict"):
        scope = scope.to_dict()
    return json.dumps(dict(scope), sort_keys=True)


def _auto_entities(text: str) -> list[JSONDict]:
    """Entities Telegram detects in plain user text."""
    found: list[tuple[int, int, str]] = []
    for regex, kind in (
        (_COMMAND_RE, "bot_command"),
        (_MENTION_RE, "mention"),
        (_HASHTAG_RE, "hashtag"),
        (_URL_RE, "url"),
    ):
        found.extend((m.start(), m.end(), kind) for m in regex.finditer(text))
    found.sort()
    entities: list[JSONDict] = []
    covered = 0
    for start, end, kind in found:
        if start < covered:
            continue
        covered = end
        entities.append(
            {
                "type": kind,
                "offset": _utf16_len(text[:start]),
                "length": _utf16_len(text[start:end]),
            }
        )
    return entities


# --------------------------------------------------------------------------------------------
# Request decoding
# --------------------------------------------------------------------------------------------


def _decode_field(name: str, raw: str) -> Any:
    if name in _STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _parse_disposition(header: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for match in re.finditer(r';\s*([\w*-]+)="((?:[^"\\]|\\.)*)"', header):
        value = match.group(2).replace('\\"', '"').replace("\\\\", "\\").replace("%22", '"')
        params[match.group(1).lower()] = value
    return params


def _parse_multipart(body: bytes, content_type: str) -> tuple[list[tuple[str, str]], JSONDict]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise _bad_request("multipart boundary is missing")
    delimiter = b"--" + match.group(1).encode()
    fields: list[tuple[str, str]] = []
    files: JSONDict = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, content = chunk.partition(b"\r\n\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _parse_disposition(headers.get("content-disposition", ""))
        name = disposition.get("name", "")
        if "filename" in disposition:
            mime = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(disposition["filename"], content, mime)
        else:
            fields.append((name, content.decode("utf-8")))
    return fields, files


def _resolve_attachments(value: Any, files: JSONDict, used: set[str]) -> Any:
    """Replace ``attach://name`` references by the uploaded file parts."""
    if isinstance(value, str) and value.startswith("attach://"):
        name = value.removeprefix("attach://")
        if name in files:
            used.add(name)
            return files[name]
        return value
    if isinstance(value, list):
        return [_resolve_attachments(item, files, used) for item in value]
    if isinstance(value, dict):
        return {key: _resolve_attachments(item, files, used) for key, item in value.items()}
    return value


def _decode_request(request: httpx.Request) -> JSONDict:
    params: JSONDict = {k: _decode_field(k, v) for k, v in request.url.params.multi_items()}
    content_type = request.headers.get("content-type", "")
    body = request.content
    files: JSONDict = {}
    if content_type.startswith("multipart/form-data"):
        fields, files = _parse_multipart(body, content_type)
        params.update({k: _decode_field(k, v) for k, v in fields})
    elif content_type.startswith("application/json"):
        if body:
            params.update(json.loads(body))
    elif body:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        params.update({k: _decode_field(k, v) for k, v in pairs})
    if files:
        used: set[str] = set()
        params = {k: _resolve_attachments(v, files, used) for k, v in params.items()}
        params.update({k: v for k, v in files.items() if k not in used})
    return params


# --------------------------------------------------------------------------------------------
# parse_mode emulation (HTML, MarkdownV2, Markdown)
# --------------------------------------------------------------------------------------------


class _TextBuilder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0  # in UTF-16 code units, like Telegram offsets
        self.entities: list[JSONDict] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += _utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.pos - start, **extra}
            )

    def result(self) -> tuple[str, list[JSONDict]]:
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), entities


def _parse_error(message: str) -> BotAPIError:
    return _bad_request(f"can't parse entities: {message}")


_HTML_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*"
    r"(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*>"
)
_HTML_ATTR_RE = re.compile(
    r"([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?"
)
_HTML_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9A-Fa-f]+);")
_HTML_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "a": "text_link", "tg-emoji": "custom_emoji",
    "span": "spoiler",
}  # fmt: skip


def _html_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _HTML_ATTR_RE.finditer(raw):
        value = match.group(2) or ""
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        attrs[match.group(1).lower()] = _html_unescape(value)
    return attrs


def _html_unescape(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[name]

    return _HTML_ENTITY_RE.sub(repl, text)


def _parse_html(text: str) -> tuple[str, list[JSONDict]]:
    out = _TextBuilder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            match = _HTML_ENTITY_RE.match(text, i)
            if match:
                out.add(_html_unescape(match.group(0)))
                i = match.end()
                continue
            out.add("&")
            i += 1
            continue
        if char != "<":
            out.add(char)
            i += 1
            continue
        match = _HTML_TAG_RE.match(text, i)
        offset = _byte_offset(text, i)
        if match is None:
            raise _parse_error(f"Unexpected end of name token at byte offset {offset}")
        closing, name, raw_attrs = match.group(1), match.group(2).lower(), match.group(3)
        attrs = _html_attrs(raw_attrs)
        if name not in _HTML_SIMPLE or (
            name == "span" and not closing and attrs.get("class") != "tg-spoiler"
        ):
            kind = "end" if closing else "start"
            raise _parse_error(f'Unsupported {kind} tag "{name}" at byte offset {offset}')
        if not closing:
            stack.append((name, out.pos, attrs))
            i = match.end()
            continue
        if not stack or stack[-1][0] != name:
            expected = f'"</{stack[-1][0]}>"' if stack else "nothing"
            raise _parse_error(
                f'Unmatched end tag at byte offset {offset}, expected {expected}, found "</{name}>"'
            )
        _, start, open_attrs = stack.pop()
        _close_html_entity(out, name, start, open_attrs, stack)
        i = match.end()
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _close_html_entity(
    out: _TextBuilder,
    name: str,
    start: int,
    attrs: dict[str, str],
    stack: list[tuple[str, int, dict[str, str]]],
) -> None:
    kind = _HTML_SIMPLE[name]
    if kind == "text_link":
        href = attrs.get("href", "")
        if not href:
            return
        out.entity("text_link", start, url=href)
    elif kind == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "").removeprefix("language-")
        if language:
            stack[-1][2]["__language"] = language
    elif kind == "pre":
        language = attrs.get("__language")
        if language:
            out.entity("pre", start, language=language)
        else:
            out.entity("pre", start)
    elif kind == "blockquote":
        out.entity("expandable_blockquote" if "expandable" in attrs else "blockquote", start)
    elif kind == "custom_emoji":
        out.entity("custom_emoji", start, custom_emoji_id=attrs.get("emoji-id", ""))
    else:
        out.entity(kind, start)


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough",
    "||": "Spoiler", "[": "TextUrl",
}  # fmt: skip
_MDV2_KINDS = {
    "*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler",
}  # fmt: skip


def _find_unescaped(text: str, token: str, start: int) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1


def _unescape_mdv2(text: str) -> str:
    return re.sub(r"\\([\x01-\x7e])", r"\1", text)


def _parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    out = _TextBuilder()
    stack: list[tuple[str, int, int]] = []  # marker, start (UTF-16), byte offset
    quote_start: int | None = None
    quote_end = 0
    at_line_start = True
    i = 0
    while i < len(text):
        char = text[i]
        if at_line_start:
            at_line_start = False
            if char == ">":
                if quote_start is None:
                    quote_start = out.pos
                i += 1
                continue
            if quote_start is not None:
                out.entities.append(
                    {"type": "blockquote", "offset": quote_start, "length": quote_end - quote_start}
                )
                quote_start = None
        if char == "\n":
            quote_end = out.pos
            out.add(char)
            at_line_start = True
            i += 1
            continue
        if char == "\\":
            if i + 1 < len(text) and 0 < ord(text[i + 1]) < 127:
                out.add(text[i + 1])
                i += 2
                continue
            raise _parse_error("Character '\\' is reserved and must be escaped")
        if char == "`":
            i = _mdv2_code(text, i, out)
            continue
        if char == "[":
            stack.append(("[", out.pos, _byte_offset(text, i)))
            i += 1
            continue
        if char == "]" and stack and stack[-1][0] == "[" and text.startswith("(", i + 1):
            close = _find_unescaped(text, ")", i + 2)
            if close < 0:
                raise _parse_error(
                    f"Can't find end of a URL at byte offset {_byte_offset(text, i)}"
                )
            _, start, _ = stack.pop()
            out.entity("text_link", start, url=_unescape_mdv2(text[i + 2 : close]))
            i = close + 1
            continue
        marker = next((m for m in ("__", "||") if text.startswith(m, i)), char)
        if marker in _MDV2_KINDS:
            if any(item[0] == marker for item in stack):
                top, start, offset = stack.pop()
                if top != marker:
                    raise _parse_error(
                        f"Can't find end of {_MDV2_NAMES[top]} entity at byte offset {offset}"
                    )
                out.entity(_MDV2_KINDS[marker], start)
            else:
                stack.append((marker, out.pos, _byte_offset(text, i)))
            i += len(marker)
            continue
        if char in _MDV2_RESERVED:
            raise _parse_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.add(char)
        i += 1
    if quote_start is not None:
        out.entities.append(
            {"type": "blockquote", "offset": quote_start, "length": out.pos - quote_start}
        )
    if stack:
        marker, _, offset = stack[-1]
        raise _parse_error(
            f"Can't find end of {_MDV2_NAMES[marker]} entity at byte offset {offset}"
        )
    return out.result()


def _mdv2_code(text: str, i: int, out: _TextBuilder) -> int:
    """Parse ``code`` or a ```pre``` block starting at ``i``; return the next index."""
    fence = "```" if text.startswith("```", i) else "`"
    end = _find_unescaped(text, fence, i + len(fence))
    if end < 0:
        name = "Pre" if fence == "```" else "Code"
        raise _parse_error(
            f"Can't find end of {name} entity at byte offset {_byte_offset(text, i)}"
        )
    body = text[i + len(fence) : end]
    start = out.pos
    if fence == "`":
        out.add(_unescape_mdv2(body))
        out.entity("code", start)
        return end + 1
    language = ""
    first_line, newline, rest = body.partition("\n")
    if newline and first_line and not any(c.isspace() for c in first_line):
        language, body = first_line, rest
    out.add(_unescape_mdv2(body))
    if language:
        out.entity("pre", start, language=language)
    else:
        out.entity("pre", start)
    return end + 3


def _parse_markdown(text: str) -> tuple[str, list[JSONDict]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    out = _TextBuilder()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if char in "*_`":
            token = "```" if text.startswith("```", i) else char
            end = text.find(token, i + len(token))
            if end < 0:
                raise _parse_error(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                )
            start = out.pos
            out.add(text[i + len(token) : end])
            kind = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[token]
            out.entity(kind, start)
            i = end + len(token)
            continue
        if char == "[":
            close = text.find("]", i + 1)
            if close > 0 and text.startswith("(", close + 1) and text.find(")", close + 2) > 0:
                url_end = text.find(")", close + 2)
                start = out.pos
                out.add(text[i + 1 : close])
                out.entity("text_link", start, url=text[close + 2 : url_end])
                i = url_end + 1
                continue
        out.add(char)
        i += 1
    return out.result()


def _check_entities(text: str, entities: Any) -> list[JSONDict]:
    """Entities sent with a text: a list of objects with a type and a range (in UTF-16
    code units) inside the text, as Telegram requires."""
    if not isinstance(entities, list):
        raise _bad_request("can't parse entities: an array is expected")
    size = _utf16_len(text)
    for entity in entities:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise _bad_request("can't parse entities: an entity needs a type")
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise _bad_request("can't parse entities: offset and length must be integers")
        if offset < 0 or length <= 0 or offset + length > size:
            raise _bad_request(f"can't parse entities: entity out of the text ({entity})")
    return list(entities)


def _format_text(
    text: str, parse_mode: str | None, entities: list[JSONDict] | None
) -> tuple[str, list[JSONDict]]:
    if entities:
        return text, _check_entities(text, entities)
    mode = (parse_mode or "").lower()
    if not mode:
        return text, []
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown_v2(text)
    if mode == "markdown":
        return _parse_markdown(text)
    raise _bad_request(f"unsupported parse_mode {parse_mode!r}")


# --------------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------------


class FakeBotAPI:
    """A stateful in-memory Telegram Bot API server for one bot.

    Chats are identified by dicts (as returned by :meth:`add_group` / :meth:`private_chat`)
    or by their integer id; for private chats the user dict works too.
    """

    def __init__(
        self,
        *,
        bot_id: int = 7_000_000_001,
        bot_username: str = "dondoc_test_bot",
        bot_first_name: str = "Đôn Đốc",
        token: str | None = None,
        clock: Callable[[], datetime] | None = None,
        max_poll_wait: float = 0.05,
        privacy_mode: bool = True,
        enforce_limits: bool = False,
        limit_clock: Callable[[], float] = time.monotonic,
        first_ids: int = 1,
    ) -> None:
        # ``first_ids``: where update and user ids start (another run against the same
        # database must not reuse the ids of the first, as Telegram would not).
        self.token = token or f"{bot_id}:AAFakeTokenForDonDocTests"
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.max_poll_wait = max_poll_wait
        self.privacy_mode = privacy_mode
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.calls: list[Call] = []
        self.updates: list[JSONDict] = []  # every update ever pushed, in order
        self.undelivered: list[tuple[JSONDict, str]] = []  # (update, reason) never queued
        self.app_errors: list[BaseException] = []  # filled by running_app()
        self.fail_on_app_errors = False

        self.users: dict[int, JSONDict] = {bot_id: self._short_bot_user()}
        self.chats: dict[int, JSONDict] = {}
        self._members: dict[int, dict[int, str]] = {}
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._next_message_id: dict[int, int] = {}
        self._pending: list[JSONDict] = []
        self._fetched_up_to = 0
        self._allowed_updates: frozenset[str] = _DEFAULT_ALLOWED_UPDATES
        self._active_poll: _Poll | None = None
        self._callback_queries: dict[str, JSONDict] = {}
        self._callback_answers: dict[str, JSONDict] = {}
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._reply_keyboards: dict[int, JSONDict | None] = {}
        self._blocked_by: set[int] = set()
        self._failures: dict[str, list[_Failure]] = {}
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        # What the last setWebhook uploaded or asked for (None: nothing).
        self.webhook_certificate: bytes | None = None
        self.webhook_max_connections: int | None = None
        self.webhook_ip_address: str | None = None
        # (update id, HTTP status or None when the request failed) of every webhook POST
        self.webhook_deliveries: list[tuple[int, int | None]] = []
        # update id -> time.monotonic() when the bot was first handed it (its first webhook
        # POST, or the first getUpdates answer holding it)
        self.delivered_at: dict[int, float] = {}
        # (update id, status, time.monotonic() sent, answered) of every serve_webhook POST
        self.webhook_timings: list[tuple[int, int | None, float, float]] = []
        # called with each answered call, as it is answered (a test's own bookkeeping)
        self.listeners: list[Callable[[Call], None]] = []

        # Limits mode (opt-in): Telegram's flood limits on messages the bot sends.
        self.enforce_limits = enforce_limits
        self.limit_clock = limit_clock
        self.limit_per_second = 30  # messages in any 1-second window, all chats together
        self.limit_per_group_minute = 20  # messages in any 60-second window, per group chat
        self.limit_rejections = 0  # 429s answered because a limit would have been broken
        self.limited_sends: list[tuple[float, int]] = []  # (limit_clock time, chat id)
        self._limit_sent: deque[float] = deque()
        self._limit_group_sent: dict[int, deque[float]] = {}

        self._ids = itertools.count(1)
        self._user_ids = itertools.count(100_000_000 + first_ids)
        self._group_ids = itertools.count(1)
        self._update_ids = itertools.count(first_ids)
        self._updates_signal = _Notifier()
        self._calls_signal = _Notifier()

        self._methods: dict[str, MethodHandler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "logOut": self._true,
            "close": self._true,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_bot_text("description"),
            "getMyDescription": self._get_bot_text("description"),
            "setMyShortDescription": self._set_bot_text("short_description"),
            "getMyShortDescription": self._get_bot_text("short_description"),
            "setMyName": self._set_bot_text("name"),
            "getMyName": self._get_bot_text("name"),
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendMediaGroup": self._send_media_group,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "getChatMemberCount": self._get_chat_member_count,
            "leaveChat": self._leave_chat,
            "pinChatMessage": self._true_for_chat,
            "unpinChatMessage": self._true_for_chat,
            "getFile": self._get_file,
        }

    # ----------------------------------------------------------------------------------------
    # HTTP entry point
    # ----------------------------------------------------------------------------------------

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """The ``httpx.MockTransport`` handler: answer one Bot API request."""
        file_match = _FILE_PATH_RE.fullmatch(request.url.path)
        if file_match:
            return self._serve_file(file_match.group(1), unquote(file_match.group(2)))
        match = _METHOD_PATH_RE.fullmatch(request.url.path)
        if match is None:
            return httpx.Response(404, json=BotAPIError(404, "Not Found").payload())
        token, raw_method = match.groups()
        canonical = {name.lower(): name for name in self._methods}
        method = canonical.get(raw_method.lower(), raw_method)
        call = Call(method, {})
        self.calls.append(call)
        try:
            call.params = _decode_request(request)
            if token != self.token:
                raise BotAPIError(401, "Unauthorized")
            self._raise_injected_failure(method)
            handler = self._methods.get(method)
            if handler is None:
                raise BotAPIError(404, "Not Found: method not found")
            limited = self._check_limits(method, call.params)
            result = handler(call.params)
            if isinstance(result, Awaitable):
                result = await result
            if limited is not None:
                self._record_send(*limited)
            status, payload = 200, {"ok": True, "result": result}
        except BotAPIError as error:
            status, payload = error.error_code, error.payload()
        call.response = payload
        call.at = time.monotonic()
        for listener in self.listeners:
            listener(call)
        self._calls_signal.notify()
        return httpx.Response(status, json=payload)

    def _serve_file(self, token: str, path: str) -> httpx.Response:
        if token != self.token:
            return httpx.Response(401, json=BotAPIError(401, "Unauthorized").payload())
        stored = self._files_by_path.get(path)
        if stored is None:
            return httpx.Response(404, json=BotAPIError(404, "Not Found").payload())
        return httpx.Response(200, content=stored.content)

    # ----------------------------------------------------------------------------------------
    # Failure injection and custom methods
    # ----------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        retry_after: float | None = None,
        error_code: int = 400,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (429 if ``retry_after`` is given).

        PTB ignores a falsy ``retry_after``, so it must be > 0; a float like 0.05 keeps tests
        fast (the real API only sends integers).
        """
        if retry_after is not None:
            if retry_after <= 0:
                raise ValueError("retry_after must be > 0: PTB treats 0 as 'no retry_after'")
            if isinstance(retry_after, float) and retry_after.is_integer():
                retry_after = int(retry_after)
            error = BotAPIError(
                429,
                description or f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        else:
            default = {
                400: "Bad Request: injected failure",
                403: "Forbidden: bot was blocked by the user",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(error_code, f"Error {error_code}: injected failure")
            error = BotAPIError(error_code, description or default)
        self._failures.setdefault(method, []).append(_Failure(error, times))

    def _raise_injected_failure(self, method: str) -> None:
        queue = self._failures.get(method)
        if not queue:
            return
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        raise failure.error

    # ----------------------------------------------------------------------------------------
    # Limits mode: Telegram's flood limits
    # ----------------------------------------------------------------------------------------

    @staticmethod
    def counts_toward_limits(method: str) -> bool:
        """Whether ``method`` posts a message (send*, copy/forward; not sendChatAction)."""
        return (
            method.startswith("send") and method != "sendChatAction"
        ) or method in _LIMITED_EXTRA

    def _check_limits(self, method: str, params: JSONDict) -> tuple[float, int] | None:
        """In limits mode, answer 429 if this message would break a limit.

        Returns ``(now, chat id)`` to record in :attr:`limited_sends` once the call succeeded,
        or ``None`` when the call does not count. A message counts in a window while it is
        younger than the window: at most ``limit_per_second`` in any 1-second window overall, and
        ``limit_per_group_minute`` in any 60-second window per group (negative chat id).
        """
        if not self.enforce_limits or not self.counts_toward_limits(method):
            return None
        try:
            chat_id = int(self._api_chat(params.get("chat_id"))["id"])
        except BotAPIError:
            return None  # the method's handler answers the error
        now = self.limit_clock()
        waits: list[float] = []
        sent = self._limit_sent
        while sent and sent[0] <= now - 1.0:
            sent.popleft()
        if len(sent) >= self.limit_per_second:
            waits.append(sent[-self.limit_per_second] + 1.0 - now)
        group_id = chat_id if chat_id < 0 else None
        if group_id is not None:
            in_group = self._limit_group_sent.setdefault(group_id, deque())
            while in_group and in_group[0] <= now - 60.0:
                in_group.popleft()
            if len(in_group) >= self.limit_per_group_minute:
                waits.append(in_group[-self.limit_per_group_minute] + 60.0 - now)
        if waits:
            self.limit_rejections += 1
            retry_after = max(1, math.ceil(max(waits)))
            raise BotAPIError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        return now, chat_id

    def _record_send(self, now: float, chat_id: int) -> None:
        self.limited_sends.append((now, chat_id))
        self._limit_sent.append(now)
        if chat_id < 0:
            self._limit_group_sent.setdefault(chat_id, deque()).append(now)

    def record_app_error(self, error: BaseException) -> None:
        """Remember an exception raised inside the application (wakes ``wait_for``)."""
        self.app_errors.append(error)
        self._calls_signal.notify()

    def make_request(self) -> HTTPXRequest:
        """A PTB ``HTTPXRequest`` wired to this fake (use one per ``request`` slot)."""
        from telegram.request import HTTPXRequest

        return HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(self.handle)})

    def register(self, method: str, handler: MethodHandler) -> None:
        """Add or override a Bot API method: ``handler(params) -> result`` (may be async)."""
        self._methods[method] = handler

    # ----------------------------------------------------------------------------------------
    # Users, chats, membership
    # ----------------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> JSONDict:
        """Create a Telegram user and return its User dict."""
        uid = user_id if user_id is not None else next(self._user_ids)
        user: JSONDict = {
            "id": uid,
            "is_bot": False,
            "first_name": first_name or f"Người dùng {uid}",
        }
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[uid] = user
        return copy.deepcopy(user)

    def private_chat(self, user: ChatRef) -> JSONDict:
        """The private chat between ``user`` and the bot (created on first use)."""
        uid = int(_id_of(user))
        if uid not in self.users:
            raise AssertionError(f"unknown user {uid}: call add_user() first")
        if uid not in self.chats:
            person = self.users[uid]
            chat: JSONDict = {"id": uid, "type": "private", "first_name": person["first_name"]}
            for key in ("last_name", "username"):
                if key in person:
                    chat[key] = person[key]
            self._register_chat(chat)
            self._members[uid] = {uid: "member", self.bot_user["id"]: "member"}
        return copy.deepcopy(self.chats[uid])

    def add_group(
        self,
        title: str,
        chat_id: int | None = None,
        type: str = "supergroup",
        *,
        username: str | None = None,
        creator: ChatRef | None = None,
    ) -> JSONDict:
        """Create a group or supergroup (the bot is not a member yet)."""
        if type not in {"group", "supergroup"}:
            raise ValueError("type must be 'group' or 'supergroup'")
        if chat_id is None:
            number = next(self._group_ids)
            base = 1_001_000_000_000 if type == "supergroup" else 4_000_000_000
            chat_id = -(base + number)
        chat: JSONDict = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        self._register_chat(chat)
        self._members[chat_id] = {}
        if creator is not None:
            self._members[chat_id][int(_id_of(creator))] = "creator"
        return copy.deepcopy(chat)

    def add_groups(self, n: int, title: str = "Nhóm", type: str = "supergroup") -> list[int]:
        """Create ``n`` groups with the bot already a member (no updates); their chat ids."""
        bot_id = self.bot_user["id"]
        ids = []
        for number in range(1, n + 1):
            chat = self.add_group(f"{title} {number}", type=type)
            self._members[chat["id"]][bot_id] = "member"
            ids.append(chat["id"])
        return ids

    def set_member_status(self, chat: ChatRef, user: ChatRef, status: str) -> None:
        """Set a member's status (creator/administrator/member/restricted/left/kicked)."""
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"unknown status {status!r}")
        chat_id = self._chat(chat)["id"]
        self._members[chat_id][int(_id_of(user))] = status

    def member_status(self, chat: ChatRef, user: ChatRef) -> str:
        """A user's (or the bot's) current status in a chat."""
        return self._status(self._chat(chat)["id"], int(_id_of(user)))

    def _status(self, chat_id: int, user_id: int) -> str:
        """Explicit status, else: the bot is not in groups, known users are members."""
        members = self._members[chat_id]
        if user_id in members:
            return members[user_id]
        if user_id == self.bot_user["id"] or self.chats[chat_id]["type"] == "private":
            return "left"
        return "member"

    def _register_chat(self, chat: JSONDict) -> None:
        self.chats[chat["id"]] = chat
        self._messages.setdefault(chat["id"], {})
        self._next_message_id.setdefault(chat["id"], 1)

    def _chat(self, ref: ChatRef) -> JSONDict:
        """Resolve a chat reference for the test-side API (creates private chats on demand)."""
        key = _id_of(ref)
        if isinstance(key, str) and not key.lstrip("-").isdigit():
            for chat in self.chats.values():
                if chat.get("username", "").lower() == key.lstrip("@").lower():
                    return chat
            raise AssertionError(f"unknown chat {key!r}")
        chat_id = int(key)
        if chat_id not in self.chats and chat_id in self.users and chat_id > 0:
            self.private_chat(chat_id)
        if chat_id not in self.chats:
            raise AssertionError(f"unknown chat {chat_id}")
        return self.chats[chat_id]

    def _user(self, ref: ChatRef) -> JSONDict:
        uid = int(_id_of(ref))
        if uid not in self.users:
            raise AssertionError(f"unknown user {uid}: call add_user() first")
        return self.users[uid]

    def _short_bot_user(self) -> JSONDict:
        return {key: self.bot_user[key] for key in ("id", "is_bot", "first_name", "username")}

    def _now(self) -> int:
        return int(self.clock().timestamp())

    # ----------------------------------------------------------------------------------------
    # Updates queue
    # ----------------------------------------------------------------------------------------

    def _push(self, kind: str, payload: JSONDict, *, skip_reason: str | None = None) -> JSONDict:
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
        self.updates.append(update)
        if skip_reason:
            self.undelivered.append((update, skip_reason))
        else:
            self._pending.append(update)
            self._updates_signal.notify()
        return copy.deepcopy(update)

    def redeliver(self, update: JSONDict) -> None:
        """Push an update again with its original id, as Telegram does after a lost
        confirmation (for example when the bot restarts mid-batch)."""
        self._pending.append(copy.deepcopy(update))
        self._updates_signal.notify()

    async def deliver_webhook(
        self,
        client: httpx.AsyncClient,
        *,
        attempts: int = 3,
        secret: str | None = None,
        url: str | None = None,
    ) -> int:
        """POST the pending updates to the webhook as Telegram does: in order, one request
        each, with the secret given to ``setWebhook`` in ``X-Telegram-Bot-Api-Secret-Token``
        (``secret`` overrides it; ``""`` sends none). An update is forgotten once answered
        200; one that got anything else (or no answer) is posted again, up to ``attempts``
        times in all, and stays pending after that. Returns how many were taken.

        ``client`` reaches the bot's web app (``httpx.ASGITransport`` in process, or a real
        server); the request goes to the path of ``url`` (default: the registered webhook).
        """
        target = url or self.webhook_url
        if not target:
            raise AssertionError("no webhook registered (setWebhook) and no url given")
        path = urlsplit(target).path or "/"
        token = self.webhook_secret if secret is None else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": token} if token else {}
        taken = 0
        for update in list(self._pending):
            if self._update_kind(update) not in self._allowed_updates:
                continue
            for _attempt in range(attempts):
                try:
                    response = await client.post(path, json=update, headers=headers)
                    status: int | None = response.status_code
                except httpx.HTTPError:
                    status = None
                self.webhook_deliveries.append((update["update_id"], status))
                if status == 200:
                    self._pending = [u for u in self._pending if u is not update]
                    taken += 1
                    break
        self._calls_signal.notify()
        return taken

    async def serve_webhook(
        self,
        client: httpx.AsyncClient,
        *,
        max_connections: int = 40,
        retry_delay: float = 0.25,
        url: str | None = None,
    ) -> None:
        """Telegram's side of a webhook, until cancelled: the pending updates are POSTed
        as they come, in order, up to ``max_connections`` at once (setWebhook's
        ``max_connections``, 40 by default), each with the registered secret in
        ``X-Telegram-Bot-Api-Secret-Token``. Several requests are in flight together,
        whatever their chat: one person's consecutive updates may reach two instances at
        the same time, as they may from Telegram. An update answered 200 is forgotten; one
        that got anything else, or no answer, is posted again ``retry_delay`` seconds
        later (Telegram backs off longer), as long as it takes.

        Every POST is in :attr:`webhook_deliveries`; :attr:`delivered_at` holds when each
        update was first posted.
        """
        target = url or self.webhook_url
        if not target:
            raise AssertionError("no webhook registered (setWebhook) and no url given")
        path = urlsplit(target).path or "/"
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if self.webhook_secret else {}
        )
        loop = asyncio.get_running_loop()
        slots = asyncio.Semaphore(max_connections)
        in_flight: set[int] = set()  # id() of the update dicts being posted
        not_before: dict[int, float] = {}  # id() of an update -> when it may be posted again
        posts: set[asyncio.Task[None]] = set()

        async def post(update: JSONDict) -> None:
            key = id(update)
            try:
                sent = time.monotonic()
                self.delivered_at.setdefault(update["update_id"], sent)
                try:
                    response = await client.post(path, json=update, headers=headers)
                    status: int | None = response.status_code
                except httpx.HTTPError:
                    status = None
                self.webhook_deliveries.append((update["update_id"], status))
                self.webhook_timings.append((update["update_id"], status, sent, time.monotonic()))
                if status == 200:
                    not_before.pop(key, None)
                    for index, pending in enumerate(self._pending):
                        if pending is update:
                            del self._pending[index]
                            break
                else:
                    not_before[key] = loop.time() + retry_delay
            finally:
                in_flight.discard(key)
                slots.release()
                self._updates_signal.notify()
                self._calls_signal.notify()

        def next_update() -> JSONDict | None:
            now = loop.time()
            for update in self._pending:
                key = id(update)
                if key in in_flight or not_before.get(key, 0.0) > now:
                    continue
                if self._update_kind(update) in self._allowed_updates:
                    return update
            return None

        try:
            while True:
                await slots.acquire()
                update = next_update()
                while update is None:
                    await self._updates_signal.wait(retry_delay / 2)
                    update = next_update()
                in_flight.add(id(update))
                task = asyncio.create_task(post(update))
                posts.add(task)
                task.add_done_callback(posts.discard)
        finally:
            for task in list(posts):
                task.cancel()
            await asyncio.gather(*posts, return_exceptions=True)

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot (via getUpdates offset)."""
        return copy.deepcopy(self._pending)

    @property
    def long_polling(self) -> bool:
        """Whether a getUpdates request is held in the fake, waiting for updates."""
        return self._active_poll is not None

    async def wait_long_poll(self) -> None:
        """Wait until the bot's getUpdates request is held in the fake (no wall clock: woken
        when a request starts)."""
        while self._active_poll is None:
            await self._updates_signal.wait(None)

    def take_pending(self) -> list[JSONDict]:
        """Fetch and confirm every pending update, as a bot that received them and died
        before handling them would have."""
        taken, self._pending = self._pending, []
        self._calls_signal.notify()
        return copy.deepcopy(taken)

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        self._calls_signal.notify()

    def _deliverable(self, limit: int) -> list[JSONDict]:
        kept = [u for u in self._pending if self._update_kind(u) in self._allowed_updates]
        self._pending = kept
        batch = kept[:limit]
        if batch:
            self._fetched_up_to = max(self._fetched_up_to, batch[-1]["update_id"])
            now = time.monotonic()
            for update in batch:
                self.delivered_at.setdefault(update["update_id"], now)
        return copy.deepcopy(batch)

    @staticmethod
    def _update_kind(update: JSONDict) -> str:
        return next(key for key in update if key != "update_id")

    # ----------------------------------------------------------------------------------------
    # User-side actions (what a person does in Telegram)
    # ----------------------------------------------------------------------------------------

    def send_text(
        self,
        user: ChatRef,
        chat: ChatRef,
        text: str,
        reply_to_message_id: int | None = None,
    ) -> JSONDict:
        """The user sends ``text`` to ``chat``; returns the ``message`` update."""
        fields: JSONDict = {"text": text}
        entities = _auto_entities(text)
        if entities:
            fields["entities"] = entities
        return self._user_message(user, chat, fields, reply_to_message_id)

    def send_photo(
        self,
        user: ChatRef,
        chat: ChatRef,
        caption: str | None = None,
        *,
        content: bytes = _PNG_SIGNATURE + b"fake-photo",
        width: int = 1280,
        height: int = 960,
    ) -> JSONDict:
        """The user sends a photo (downloadable via getFile); returns the update."""
        stored = self._store_file("photo", content, None, "image/jpeg", width, height)
        fields: JSONDict = {"photo": self._photo_sizes(stored)}
        self._add_caption(fields, caption)
        return self._user_message(user, chat, fields, None)

    def send_document(
        self,
        user: ChatRef,
        chat: ChatRef,
        filename: str,
        caption: str | None = None,
        *,
        content: bytes = b"fake document content",
        mime_type: str | None = None,
    ) -> JSONDict:
        """The user sends a file (downloadable via getFile); returns the update."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._store_file("document", content, filename, mime)
        fields: JSONDict = {"document": self._document(stored)}
        self._add_caption(fields, caption)
        return self._user_message(user, chat, fields, None)

    def edit_text(self, user: ChatRef, chat: ChatRef, message_id: int, new_text: str) -> JSONDict:
        """The user edits one of their text messages; returns the ``edited_message`` update."""
        sender = self._user(user)
        target = self._chat(chat)
        message = self._messages[target["id"]].get(message_id)
        if message is None or message.get("from", {}).get("id") != sender["id"]:
            raise AssertionError(f"user {sender['id']} has no message {message_id} to edit")
        if "text" not in message:
            raise AssertionError("only text messages can be edited with edit_text()")
        message["text"] = new_text
        message.pop("entities", None)
        entities = _auto_entities(new_text)
        if entities:
            message["entities"] = entities
        message["edit_date"] = self._now()
        return self._push("edited_message", message, skip_reason=self._skip_reason(target, message))

    def press(
        self,
        user: ChatRef,
        message: Mapping[str, Any],
        data: str | None = None,
        *,
        text: str | None = None,
    ) -> JSONDict:
        """The user presses an inline button (by ``data`` or button ``text``) of a bot message."""
        presser = self._user(user)
        chat_id = message["chat"]["id"]
        current = self._messages.get(chat_id, {}).get(message["message_id"])
        if current is None:
            raise AssertionError(f"message {message['message_id']} no longer exists")
        rows = self.buttons(current)
        flat = [button for row in rows for button in row]
        if text is not None:
            matches = [cb for label, cb in flat if label == text and cb is not None]
            if not matches:
                raise AssertionError(f"no callback button labelled {text!r}; buttons: {rows}")
            data = matches[0]
        if data is None or data not in [cb for _, cb in flat]:
            raise AssertionError(f"no button with callback_data {data!r}; buttons: {rows}")
        query_id = str(4_000_000_000_000_000 + next(self._ids))
        query: JSONDict = {
            "id": query_id,
            "from": copy.deepcopy(presser),
            "message": copy.deepcopy(current),
            "chat_instance": f"{abs(chat_id)}7",
            "data": data,
        }
        self._callback_queries[query_id] = query
        return self._push("callback_query", query)

    def add_bot_to_group(self, user: ChatRef, group: ChatRef) -> JSONDict:
        """``user`` adds the bot to ``group``; returns the ``my_chat_member`` update.

        Like Telegram, a ``message`` update with ``new_chat_members`` follows.
        """
        adder = self._user(user)
        chat = self._chat(group)
        members = self._members[chat["id"]]
        members.setdefault(adder["id"], "member")
        old = self._status(chat["id"], self.bot_user["id"])
        members[self.bot_user["id"]] = "member"
        update = self._my_chat_member(adder, chat, old, "member")
        service = self._store_message(chat, adder, {"new_chat_members": [self._short_bot_user()]})
        self._push("message", service)
        return update

    def remove_bot_from_group(self, user: ChatRef, group: ChatRef) -> JSONDict:
        """``user`` removes the bot from ``group``; returns the ``my_chat_member`` update."""
        remover = self._user(user)
        chat = self._chat(group)
        old = self._status(chat["id"], self.bot_user["id"])
        self._members[chat["id"]][self.bot_user["id"]] = "left"
        update = self._my_chat_member(remover, chat, old, "left")
        self._store_message(chat, remover, {"left_chat_member": self._short_bot_user()})
        return update

    def join_group(self, user: ChatRef, group: ChatRef) -> JSONDict:
        """``user`` joins ``group``; returns the ``new_chat_members`` message update."""
        person = self._user(user)
        chat = self._chat(group)
        self._members[chat["id"]][person["id"]] = "member"
        message = self._store_message(chat, person, {"new_chat_members": [person]})
        return self._push("message", message, skip_reason=self._skip_reason(chat, message))

    def leave_group(self, user: ChatRef, group: ChatRef) -> JSONDict:
        """``user`` leaves ``group``; returns the ``left_chat_member`` message update."""
        person = self._user(user)
        chat = self._chat(group)
        self._members[chat["id"]][person["id"]] = "left"
        message = self._store_message(chat, person, {"left_chat_member": person})
        return self._push("message", message, skip_reason=self._skip_reason(chat, message))

    def block_bot(self, user: ChatRef) -> JSONDict:
        """``user`` blocks the bot; returns the private ``my_chat_member`` update."""
        person = self._user(user)
        chat = self._chat(person["id"])
        self._blocked_by.add(person["id"])
        self._members[chat["id"]][self.bot_user["id"]] = "kicked"
        return self._my_chat_member(person, chat, "member", "kicked")

    def unblock_bot(self, user: ChatRef) -> JSONDict:
        """``user`` unblocks the bot; returns the private ``my_chat_member`` update."""
        person = self._user(user)
        chat = self._chat(person["id"])
        self._blocked_by.discard(person["id"])
        self._members[chat["id"]][self.bot_user["id"]] = "member"
        return self._my_chat_member(person, chat, "kicked", "member")

    def _user_message(
        self, user: ChatRef, chat: ChatRef, fields: JSONDict, reply_to_message_id: int | None
    ) -> JSONDict:
        sender = self._user(user)
        target = self._chat(chat)
        if target["type"] == "private" and target["id"] != sender["id"]:
            raise AssertionError("a user can only write in their own private chat with the bot")
        status = self._status(target["id"], sender["id"])
        if status == "kicked":
            raise AssertionError(f"user {sender['id']} is banned from chat {target['id']}")
        if status == "left":
            self._members[target["id"]][sender["id"]] = "member"
        if reply_to_message_id is not None:
            replied = self._messages[target["id"]].get(reply_to_message_id)
            if replied is None:
                raise AssertionError(f"no message {reply_to_message_id} to reply to")
            fields["reply_to_message"] = self._without_reply(replied)
        message = self._store_message(target, sender, fields)
        return self._push("message", message, skip_reason=self._skip_reason(target, message))

    def _skip_reason(self, chat: JSONDict, message: JSONDict) -> str | None:
        """Why Telegram would not deliver this group message to the bot (None: delivered)."""
        if chat["type"] == "private":
            return None
        status = self._status(chat["id"], self.bot_user["id"])
        if status not in _PRESENT_STATUSES:
            return f"the bot is not a member of chat {chat['id']}"
        if not self.privacy_mode or status in {"administrator", "creator"}:
            return None
        if "text" not in message and "caption" not in message:
            return None  # service messages and media are delivered
        text = message.get("text", message.get("caption", ""))
        username = self.bot_user["username"].lower()
        entities = message.get("entities", message.get("caption_entities", []))
        encoded = text.encode("utf-16-le")
        for entity in entities:
            start, end = 2 * entity["offset"], 2 * (entity["offset"] + entity["length"])
            value = encoded[start:end].decode("utf-16-le").lower()
            addressed = "@" not in value or value.endswith(f"@{username}")
            if entity["type"] == "bot_command" and addressed:
                return None
            if entity["type"] == "mention" and value == f"@{username}":
                return None
        replied = message.get("reply_to_message")
        if replied and replied.get("from", {}).get("id") == self.bot_user["id"]:
            return None
        return "privacy mode: in groups the bot only gets commands, mentions and replies to it"

    def _my_chat_member(self, actor: JSONDict, chat: JSONDict, old: str, new: str) -> JSONDict:
        bot = self._short_bot_user()
        payload = {
            "chat": copy.deepcopy(chat),
            "from": copy.deepcopy(actor),
            "date": self._now(),
            "old_chat_member": self._member_dict(bot, old),
            "new_chat_member": self._member_dict(bot, new),
        }
        return self._push("my_chat_member", payload)

    # ----------------------------------------------------------------------------------------
    # Reading state
    # ----------------------------------------------------------------------------------------

    def messages_in(self, chat: ChatRef) -> list[JSONDict]:
        """All current messages of ``chat`` (from users and the bot), oldest first."""
        return copy.deepcopy(list(self._messages[self._chat(chat)["id"]].values()))

    def bot_messages(self, chat: ChatRef) -> list[JSONDict]:
        """Current messages sent by the bot in ``chat``, oldest first."""
        bot_id = self.bot_user["id"]
        return [m for m in self.messages_in(chat) if m.get("from", {}).get("id") == bot_id]

    def last_bot_message(self, chat: ChatRef) -> JSONDict:
        """The newest message the bot sent in ``chat`` (AssertionError if none)."""
        messages = self.bot_messages(chat)
        if not messages:
            raise AssertionError(f"the bot sent no message in chat {_id_of(chat)}")
        return messages[-1]

    def message(self, chat: ChatRef, message_id: int) -> JSONDict:
        """The current state of one message (AssertionError if missing or deleted)."""
        stored = self._messages[self._chat(chat)["id"]].get(message_id)
        if stored is None:
            raise AssertionError(f"no message {message_id} in chat {_id_of(chat)}")
        return copy.deepcopy(stored)

    def buttons(self, message: Mapping[str, Any]) -> list[list[tuple[str, str | None]]]:
        """Rows of ``(text, callback_data)`` of a message's current inline keyboard."""
        current = self._messages.get(message["chat"]["id"], {}).get(message["message_id"], message)
        keyboard = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        return [[(b["text"], b.get("callback_data")) for b in row] for row in keyboard]

    def reply_keyboard(self, chat: ChatRef) -> JSONDict | None:
        """The custom reply keyboard currently shown in ``chat`` (None if none/removed)."""
        return copy.deepcopy(self._reply_keyboards.get(self._chat(chat)["id"]))

    def commands(self, scope: Any = None, language_code: str | None = None) -> list[JSONDict]:
        """Commands stored by setMyCommands for a scope (dict, type name or None=default)."""
        return copy.deepcopy(self._commands.get((_scope_key(scope), language_code or ""), []))

    def bot_text(self, kind: str, language_code: str | None = None) -> str:
        """The bot's ``description``, ``short_description`` or ``name`` for a language."""
        return self._bot_texts.get((kind, language_code or ""), "")

    def menu_button(self, chat: ChatRef | None = None) -> JSONDict:
        """The menu button set for a private chat (or the default one)."""
        key = None if chat is None else int(_id_of(chat))
        return copy.deepcopy(self._menu_buttons.get(key, {"type": "commands"}))

    def callback_answer(self, query: Mapping[str, Any] | str) -> JSONDict | None:
        """The answerCallbackQuery params for a pressed button (update, query or id)."""
        if isinstance(query, Mapping):
            query = query.get("callback_query", query)["id"]
        return copy.deepcopy(self._callback_answers.get(str(query)))

    def file_bytes(self, file_id: str) -> bytes:
        """The content behind a file_id (uploaded by the bot or sent by a user)."""
        return self._files[file_id].content

    def mark(self) -> int:
        """Index into :attr:`calls`; pass it as ``since=`` to only see later calls."""
        return len(self.calls)

    def calls_of(
        self,
        method: str | None = None,
        *,
        since: int = 0,
        chat_id: ChatRef | None = None,
        include_failed: bool = False,
    ) -> list[Call]:
        """Recorded calls matching the filters (``method=None``: all except getUpdates)."""
        wanted_chat = None if chat_id is None else _id_of(chat_id)
        found = []
        for call in self.calls[since:]:
            if method is None and call.method == "getUpdates":
                continue
            if method is not None and call.method != method:
                continue
            if not include_failed and not call.ok:
                continue
            if wanted_chat is not None and str(call.params.get("chat_id")) != str(wanted_chat):
                continue
            found.append(call)
        return found

    async def wait_for(
        self,
        method: str | None = "sendMessage",
        count: int = 1,
        chat_id: ChatRef | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - only a safety net
        *,
        since: int = 0,
        include_failed: bool = False,
    ) -> list[Call]:
        """Wait until at least ``count`` matching calls were made after ``since``.

        Only successful calls count unless ``include_failed``. Returns the matching calls.
        Raises AssertionError (listing what happened) on timeout or, with
        ``fail_on_app_errors``, as soon as a handler raises.
        """
        errors_before = len(self.app_errors)

        def matching() -> list[Call]:
            return self.calls_of(
                method, since=since, chat_id=chat_id, include_failed=include_failed
            )

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(found := matching()) < count:
            if self.fail_on_app_errors and len(self.app_errors) > errors_before:
                error = self.app_errors[errors_before]
                raise AssertionError(
                    f"handler error while waiting for {method}: {error!r}"
                ) from error
            remaining = deadline - loop.time()
            if remaining <= 0 or not await self._calls_signal.wait(remaining):
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} x {method}"
                    f" (chat_id={chat_id}, since={since}); got {len(found)}.\n"
                    + self.describe(since)
                )
        return found

    async def wait_delivered(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot fetched every pushed update (handlers may still be running)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while any(u["update_id"] > self._fetched_up_to for u in self._pending):
            remaining = deadline - loop.time()
            if remaining <= 0 or not await self._calls_signal.wait(remaining):
                raise AssertionError(
                    f"updates not fetched by the bot: {self._pending}\n{self.describe()}"
                )

    def describe(self, since: int = 0) -> str:
        """A readable summary of calls, undelivered updates and handler errors (for asserts)."""
        lines = ["calls (getUpdates omitted):"]
        for index, call in enumerate(self.calls[since:], start=since):
            if call.method == "getUpdates":
                continue
            status = "ok" if call.ok else f"error {call.error_code}"
            lines.append(f"  #{index} {call.method} {call.params!r} -> {status}")
        for update, reason in self.undelivered:
            lines.append(f"undelivered update {update['update_id']}: {reason}")
        lines.extend(f"handler error: {error!r}" for error in self.app_errors)
        return "\n".join(lines)

    # ----------------------------------------------------------------------------------------
    # Message storage helpers
    # ----------------------------------------------------------------------------------------

    def _store_message(self, chat: JSONDict, sender: JSONDict, fields: JSONDict) -> JSONDict:
        chat_id = chat["id"]
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] = message_id + 1
        message: JSONDict = {
            "message_id": message_id,
            "from": copy.deepcopy(sender),
            "chat": copy.deepcopy(chat),
            "date": self._now(),
            **copy.deepcopy(fields),
        }
        self._messages[chat_id][message_id] = message
        return message

    @staticmethod
    def _without_reply(message: JSONDict) -> JSONDict:
        snapshot = copy.deepcopy(message)
        snapshot.pop("reply_to_message", None)
        return snapshot

    def _add_caption(
        self,
        fields: JSONDict,
        caption: str | None,
        parse_mode: str | None = None,
        entities: list[JSONDict] | None = None,
        *,
        from_bot: bool = False,
    ) -> None:
        if not caption:
            return
        if from_bot:
            text, parsed = _format_text(caption, parse_mode, entities)
            if _utf16_len(text) > MAX_CAPTION:
                raise _bad_request("message caption is too long")
        else:
            text, parsed = caption, _auto_entities(caption)
        if text:
            fields["caption"] = text
        if parsed:
            fields["caption_entities"] = parsed

    def _store_file(
        self,
        kind: str,
        content: bytes,
        filename: str | None,
        mime: str | None,
        width: int = 0,
        height: int = 0,
    ) -> _StoredFile:
        number = next(self._ids)
        prefix = {"photo": "AgACAgIAAxk", "document": "BQACAgIAAxk"}.get(kind, "CAACAgIAAxk")
        folder = "photos" if kind == "photo" else "documents"
        suffix = ".jpg" if kind == "photo" else (f"_{filename}" if filename else "")
        if kind == "photo" and (size := _png_size(content)):
            width, height = size
        stored = _StoredFile(
            file_id=f"{prefix}-fake-{number:06d}",
            file_unique_id=f"AQAD{number:06d}",
            kind=kind,
            content=content,
            filename=filename,
            mime=mime,
            file_path=f"{folder}/file_{number}{suffix}",
            width=width or 800,
            height=height or 600,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _photo_sizes(self, stored: _StoredFile) -> list[JSONDict]:
        scale = min(1.0, 90 / max(stored.width, stored.height, 1))
        thumb_id = f"{stored.file_id}-s"
        if thumb_id not in self._files:
            self._files[thumb_id] = _StoredFile(
                thumb_id, f"{stored.file_unique_id}s", "photo", stored.content, None,
                stored.mime, stored.file_path, stored.width, stored.height,
            )  # fmt: skip
        return [
            {
                "file_id": thumb_id,
                "file_unique_id": f"{stored.file_unique_id}s",
                "file_size": len(stored.content),
                "width": max(1, round(stored.width * scale)),
                "height": max(1, round(stored.height * scale)),
            },
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.content),
                "width": stored.width,
                "height": stored.height,
            },
        ]

    @staticmethod
    def _document(stored: _StoredFile) -> JSONDict:
        document: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        if stored.filename:
            document["file_name"] = stored.filename
        if stored.mime:
            document["mime_type"] = stored.mime
        return document

    def _input_file(self, value: Any, kind: str) -> _StoredFile:
        if isinstance(value, UploadedFile):
            return self._store_file(kind, value.content, value.filename, value.mime)
        if isinstance(value, str) and value in self._files:
            stored = self._files[value]
            if stored.kind != kind:
                raise _bad_request(
                    f"wrong file identifier/HTTP URL specified: can't use file of type "
                    f"{stored.kind.title()} as {kind.title()}"
                )
            return stored
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = urlsplit(value).path.rsplit("/", 1)[-1] or None
            return self._store_file(kind, b"", name, mimetypes.guess_type(value)[0])
        if value is None:
            raise _bad_request(f"there is no {kind} in the request")
        raise _bad_request("wrong file identifier/HTTP URL specified")

    @staticmethod
    def _member_dict(user: JSONDict, status: str) -> JSONDict:
        member: JSONDict = {"user": copy.deepcopy(user), "status": status}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                can_delete_messages=True, can_manage_video_chats=True,
                can_restrict_members=True, can_promote_members=False, can_change_info=True,
                can_invite_users=True, can_post_stories=False, can_edit_stories=False,
                can_delete_stories=False, can_pin_messages=True, can_manage_topics=False,
            )  # fmt: skip
        elif status == "restricted":
            member.update(dict.fromkeys(_RESTRICTED_FLAGS, False), is_member=True, until_date=0)
        elif status == "kicked":
            member["until_date"] = 0
        return member

    # ----------------------------------------------------------------------------------------
    # Bot API: generic
    # ----------------------------------------------------------------------------------------

    def _true(self, params: JSONDict) -> bool:
        return True

    def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self.webhook_url:
            raise BotAPIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in params:
            allowed = params["allowed_updates"] or _DEFAULT_ALLOWED_UPDATES
            self._allowed_updates = frozenset(allowed)
        self._confirm(params.get("offset"))
        limit = max(1, min(100, int(params.get("limit") or 100)))
        wait = min(float(params.get("timeout") or 0), self.max_poll_wait)
        if self._active_poll is not None:
            self._active_poll.terminated = True
        poll = self._active_poll = _Poll()
        self._updates_signal.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        try:
            while True:
                if poll.terminated:
                    raise BotAPIError(
                        409,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )
                batch = self._deliverable(limit)
                remaining = deadline - loop.time()
                if batch or remaining <= 0:
                    if batch:
                        self._calls_signal.notify()
                    return batch
                await self._updates_signal.wait(remaining)
        finally:
            if self._active_poll is poll:
                self._active_poll = None

    def _set_webhook(self, params: JSONDict) -> bool:
        certificate = params.get("certificate")
        if certificate is not None and not isinstance(certificate, UploadedFile):
            # Telegram takes the certificate only as an upload (multipart/form-data).
            raise _bad_request("bad webhook: certificate must be uploaded as a file")
        connections = params.get("max_connections")
        if connections is not None and not (
            isinstance(connections, int) and 1 <= connections <= 100
        ):
            raise _bad_request("bad webhook: max_connections must be between 1 and 100")
        self.webhook_url = str(params.get("url", ""))
        self.webhook_secret = params.get("secret_token") or None
        self.webhook_certificate = certificate.content if certificate else None
        self.webhook_max_connections = connections
        self.webhook_ip_address = params.get("ip_address") or None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        self.webhook_url = ""
        self.webhook_secret = None
        self.webhook_certificate = None
        self.webhook_max_connections = None
        self.webhook_ip_address = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook_url,
            "has_custom_certificate": self.webhook_certificate is not None,
            "pending_update_count": len(self._pending),
        }
        if self.webhook_url:
            info["max_connections"] = self.webhook_max_connections or 40  # Telegram's default
            if self.webhook_ip_address:
                info["ip_address"] = self.webhook_ip_address
        return info

    # ----------------------------------------------------------------------------------------
    # Bot API: commands, descriptions, menu button
    # ----------------------------------------------------------------------------------------

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad_request("too many commands specified")
        for command in commands:
            if not _BOT_COMMAND_NAME_RE.fullmatch(str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad_request("command description must be non-empty")
        key = (_scope_key(params.get("scope")), params.get("language_code") or "")
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return self.commands(params.get("scope"), params.get("language_code"))

    def _delete_my_commands(self, params: JSONDict) -> bool:
        key = (_scope_key(params.get("scope")), params.get("language_code") or "")
        self._commands.pop(key, None)
        return True

    def _set_bot_text(self, kind: str) -> MethodHandler:
        def handler(params: JSONDict) -> bool:
            self._bot_texts[(kind, params.get("language_code") or "")] = str(params.get(kind) or "")
            return True

        return handler

    def _get_bot_text(self, kind: str) -> MethodHandler:
        def handler(params: JSONDict) -> JSONDict:
            return {kind: self.bot_text(kind, params.get("language_code"))}

        return handler

    def _set_chat_menu_button(self, params: JSONDict) -> bool:
        chat_id = params.get("chat_id")
        self._menu_buttons[None if chat_id is None else int(chat_id)] = params.get(
            "menu_button"
        ) or {"type": "default"}
        return True

    def _get_chat_menu_button(self, params: JSONDict) -> JSONDict:
        return self.menu_button(params.get("chat_id"))

    # ----------------------------------------------------------------------------------------
    # Bot API: sending and editing messages
    # ----------------------------------------------------------------------------------------

    def _api_chat(self, chat_id: Any) -> JSONDict:
        """Resolve ``chat_id`` as Telegram would for a bot request."""
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        if isinstance(chat_id, str) and not chat_id.lstrip("-").isdigit():
            name = chat_id.removeprefix("@").lower()
            for chat in self.chats.values():
                if chat["type"] != "private" and chat.get("username", "").lower() == name:
                    return chat
            raise _bad_request("chat not found")
        key = int(chat_id)
        if key in self.chats:
            return self.chats[key]
        if key in self.users and key > 0:
            raise BotAPIError(403, "Forbidden: bot can't initiate conversation with a user")
        raise _bad_request("chat not found")

    def _sendable_chat(self, params: JSONDict) -> JSONDict:
        chat = self._api_chat(params.get("chat_id"))
        if chat["type"] == "private":
            if chat["id"] in self._blocked_by:
                raise BotAPIError(403, "Forbidden: bot was blocked by the user")
            return chat
        status = self._status(chat["id"], self.bot_user["id"])
        if status == "kicked":
            raise BotAPIError(403, f"Forbidden: bot was kicked from the {chat['type']} chat")
        if status not in _PRESENT_STATUSES:
            raise BotAPIError(403, f"Forbidden: bot is not a member of the {chat['type']} chat")
        return chat

    def _check_markup(self, markup: Any, chat: JSONDict | None) -> JSONDict | None:
        """Validate reply_markup; return it if it is an inline keyboard (echoed back)."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad_request("can't parse inline keyboard button: field must be an Array")
            if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
                raise _bad_request("reply markup is too long")
            for button in (b for row in rows for b in row):
                self._check_inline_button(button)
            return markup
        if chat is None:
            raise _bad_request("inline keyboard expected")
        if "keyboard" in markup:
            self._reply_keyboards[chat["id"]] = copy.deepcopy(markup)
        elif markup.get("remove_keyboard"):
            self._reply_keyboards[chat["id"]] = None
        elif not markup.get("force_reply"):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        return None

    @staticmethod
    def _check_inline_button(button: Any) -> None:
        if not isinstance(button, dict) or not button.get("text"):
            raise _bad_request("can't parse inline keyboard button: Text must be non-empty")
        actions = set(button) - {"text"}
        if not actions:
            raise _bad_request("text buttons are unallowed in the inline keyboard")
        if "callback_data" in button:
            size = len(str(button["callback_data"]).encode())
            if not 1 <= size <= MAX_CALLBACK_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")
        if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
            raise _bad_request(
                f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
            )

    def _reply_target(self, chat: JSONDict, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {"message_id": params["reply_to_message_id"]}
        if not reply:
            return None
        replied = self._messages[chat["id"]].get(int(reply["message_id"]))
        if replied is None:
            if reply.get("allow_sending_without_reply") or params.get(
                "allow_sending_without_reply"
            ):
                return None
            raise _bad_request("message to be replied not found")
        return self._without_reply(replied)

    def _bot_message(self, params: JSONDict, fields: JSONDict) -> JSONDict:
        chat = self._sendable_chat(params)
        markup = self._check_markup(params.get("reply_markup"), chat)
        replied = self._reply_target(chat, params)
        if replied is not None:
            fields["reply_to_message"] = replied
        if markup is not None:
            fields["reply_markup"] = markup
        return copy.deepcopy(self._store_message(chat, self._short_bot_user(), fields))

    def _send_message(self, params: JSONDict) -> JSONDict:
        self._sendable_chat(params)
        text, entities = _format_text(
            str(params.get("text", "")), params.get("parse_mode"), params.get("entities")
        )
        if not text.strip():
            raise _bad_request("message text is empty")
        if _utf16_len(text) > MAX_TEXT:
            raise _bad_request("message is too long")
        fields: JSONDict = {"text": text}
        if entities:
            fields["entities"] = entities
        return self._bot_message(params, fields)

    def _caption_fields(self, params: JSONDict) -> JSONDict:
        fields: JSONDict = {}
        self._add_caption(
            fields,
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            from_bot=True,
        )
        return fields

    def _send_photo(self, params: JSONDict) -> JSONDict:
        self._sendable_chat(params)
        fields = self._caption_fields(params)
        fields["photo"] = self._photo_sizes(self._input_file(params.get("photo"), "photo"))
        return self._bot_message(params, fields)

    def _send_document(self, params: JSONDict) -> JSONDict:
        self._sendable_chat(params)
        fields = self._caption_fields(params)
        fields["document"] = self._document(self._input_file(params.get("document"), "document"))
        return self._bot_message(params, fields)

    def _send_media_group(self, params: JSONDict) -> list[JSONDict]:
        self._sendable_chat(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _bad_request("wrong number of media in the album: must be 2-10")
        group_id = str(13_000_000_000_000_000 + next(self._ids))
        prepared: list[JSONDict] = []
        for item in media:
            kind = item.get("type")
            if kind not in {"photo", "document"}:
                raise _bad_request(f"the fake supports photo/document albums, not {kind!r}")
            fields = self._caption_fields(item)
            stored = self._input_file(item.get("media"), kind)
            fields[kind] = self._photo_sizes(stored) if kind == "photo" else self._document(stored)
            fields["media_group_id"] = group_id
            prepared.append(fields)
        return [self._bot_message(params, fields) for fields in prepared]

    def _send_chat_action(self, params: JSONDict) -> bool:
        self._sendable_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    def _editable(self, params: JSONDict) -> JSONDict:
        if params.get("inline_message_id"):
            raise _bad_request("MESSAGE_ID_INVALID")
        chat = self._api_chat(params.get("chat_id"))
        message = self._messages[chat["id"]].get(int(params.get("message_id") or 0))
        if message is None:
            raise _bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise _bad_request("message can't be edited")
        return message

    def _apply_edit(self, message: JSONDict, changes: JSONDict, markup: JSONDict | None) -> Any:
        before = {key: message.get(key) for key in changes}
        if before == changes and message.get("reply_markup") == markup:
            raise _bad_request(_NOT_MODIFIED)
        for key, value in changes.items():
            if value:
                message[key] = value
            else:
                message.pop(key, None)
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = self._now()
        return copy.deepcopy(message)

    def _edit_message_text(self, params: JSONDict) -> Any:
        message = self._editable(params)
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        text, entities = _format_text(
            str(params.get("text", "")), params.get("parse_mode"), params.get("entities")
        )
        if not text.strip():
            raise _bad_request("message text is empty")
        if _utf16_len(text) > MAX_TEXT:
            raise _bad_request("MESSAGE_TOO_LONG")
        markup = self._check_markup(params.get("reply_markup"), None)
        return self._apply_edit(message, {"text": text, "entities": entities or None}, markup)

    def _edit_message_caption(self, params: JSONDict) -> Any:
        message = self._editable(params)
        if "text" in message:
            raise _bad_request("there is no caption in the message to edit")
        fields = self._caption_fields(params)
        changes = {
            "caption": fields.get("caption"),
            "caption_entities": fields.get("caption_entities"),
        }
        markup = self._check_markup(params.get("reply_markup"), None)
        return self._apply_edit(message, changes, markup)

    def _edit_message_reply_markup(self, params: JSONDict) -> Any:
        message = self._editable(params)
        markup = self._check_markup(params.get("reply_markup"), None)
        return self._apply_edit(message, {}, markup)

    def _delete_message(self, params: JSONDict) -> bool:
        chat = self._api_chat(params.get("chat_id"))
        messages = self._messages[chat["id"]]
        message_id = int(params.get("message_id") or 0)
        message = messages.get(message_id)
        if message is None:
            raise _bad_request("message to delete not found")
        own = message.get("from", {}).get("id") == self.bot_user["id"]
        status = self._status(chat["id"], self.bot_user["id"])
        if chat["type"] != "private" and not own and status not in {"administrator", "creator"}:
            raise _bad_request("message can't be deleted")
        del messages[message_id]
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._callback_queries or query_id in self._callback_answers:
            raise _bad_request(_QUERY_INVALID.removeprefix("Bad Request: "))
        text = params.get("text")
        if text is not None and _utf16_len(str(text)) > MAX_NOTICE:
            raise _bad_request("MESSAGE_TOO_LONG")
        self._callback_answers[query_id] = {
            key: params[key] for key in ("text", "show_alert", "url", "cache_time") if key in params
        }
        return True

    # ----------------------------------------------------------------------------------------
    # Bot API: chats, members, files
    # ----------------------------------------------------------------------------------------

    def _get_chat(self, params: JSONDict) -> JSONDict:
        chat = copy.deepcopy(self._api_chat(params.get("chat_id")))
        chat.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return chat

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat = self._api_chat(params.get("chat_id"))
        user_id = int(params.get("user_id") or 0)
        if user_id not in self.users:
            raise _bad_request("user not found")
        status = self._status(chat["id"], user_id)
        return self._member_dict(self.users[user_id], status)

    def _get_chat_administrators(self, params: JSONDict) -> list[JSONDict]:
        chat = self._api_chat(params.get("chat_id"))
        if chat["type"] == "private":
            raise _bad_request("there are no administrators in the private chat")
        return [
            self._member_dict(self.users[user_id], status)
            for user_id, status in self._members[chat["id"]].items()
            if status in {"creator", "administrator"}
        ]

    def _get_chat_member_count(self, params: JSONDict) -> int:
        chat = self._api_chat(params.get("chat_id"))
        return sum(s in _PRESENT_STATUSES for s in self._members[chat["id"]].values())

    def _leave_chat(self, params: JSONDict) -> bool:
        chat = self._api_chat(params.get("chat_id"))
        if chat["type"] == "private":
            raise _bad_request("chat member status can't be changed in private chats")
        self._members[chat["id"]][self.bot_user["id"]] = "left"
        return True

    def _true_for_chat(self, params: JSONDict) -> bool:
        self._api_chat(params.get("chat_id"))
        return True

    def _get_file(self, params: JSONDict) -> JSONDict:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise _bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }


# --------------------------------------------------------------------------------------------
# Running a PTB Application against the fake
# --------------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def running_app(
    app: Application[Any, Any, Any, Any, Any, Any],
    fake: FakeBotAPI,
    *,
    raise_app_errors: bool = True,
    allowed_updates: list[str] | None = None,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run ``app`` like ``run_polling`` does, without blocking, for the duration of the block.

    Handler errors are collected in ``fake.app_errors``; with ``raise_app_errors`` the first
    one is re-raised on exit and ``fake.wait_for`` fails as soon as one happens.
    """

    async def record_error(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        if context.error is not None:
            fake.record_app_error(context.error)

    errors_before = len(fake.app_errors)
    fake.fail_on_app_errors = raise_app_errors
    app.add_error_handler(record_error)
    try:
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        assert app.updater is not None, "the application needs an Updater for polling"
        await app.updater.start_polling(
            poll_interval=0.0,
            timeout=timedelta(seconds=10),  # the fake caps the wait at fake.max_poll_wait
            bootstrap_retries=0,
            allowed_updates=allowed_updates,
        )
        await app.start()
        yield app
    finally:
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                if app.post_stop:
                    await app.post_stop(app)
            await app.shutdown()
            if app.post_shutdown:
                await app.post_shutdown(app)
        finally:
            app.remove_error_handler(record_error)
            fake.fail_on_app_errors = False
    new_errors = fake.app_errors[errors_before:]
    if raise_app_errors and new_errors:
        raise AssertionError(f"{len(new_errors)} handler error(s): {new_errors!r}") from (
            new_errors[0]
        )
