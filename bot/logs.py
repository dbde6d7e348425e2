"""Log lines: the update being handled (a context variable each handling task sets, so
every line logged while handling it says which), and ``DONDOC_LOG_FORMAT=json`` for
one JSON object per line. Owns the formatters and :func:`configure`; no I/O beyond the
handler it installs on the root logger.

Fields of a JSON line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``,
and where known ``update_id``, ``chat``, ``unit``, ``outcome`` (from the handling
context, or given with ``extra=``), ``exception`` (the traceback as text). The bot token
is replaced by ``<token>`` in the whole line, whatever logged it.
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime
from typing import Any

# What is known about the update this task handles: update_id, chat, unit, outcome.
UPDATE: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "dondoc_update", default=None
)
FIELDS = ("update_id", "chat", "unit", "outcome")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def begin_update(update_id: int, chat: int | None) -> None:
    """The task starts handling an update: later lines (in it and in the threads it
    starts) carry its id and chat."""
    UPDATE.set({"update_id": update_id, "chat": chat})


def note(**fields: Any) -> None:
    """Add what became known (``unit``, ``outcome``) to the current update's fields."""
    current = UPDATE.get()
    if current is not None:
        current.update({k: v for k, v in fields.items() if v is not None})


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line; the token never appears."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(UPDATE.get() or {})
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                data[name] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exception"] = record.exc_text
        line = json.dumps(data, ensure_ascii=False, default=str)
        for secret in self.secrets:
            line = line.replace(secret, "<token>")
        return line


class RedactingFormatter(logging.Formatter):
    """The text format, with the token replaced in the whole line as well."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(TEXT_FORMAT)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in self.secrets:
            line = line.replace(secret, "<token>")
        return line


def configure(log_format: str, secrets: tuple[str, ...] = (), level: int = logging.INFO) -> None:
    """Log to standard error in ``log_format`` (``text`` or ``json``), as
    ``logging.basicConfig`` would: nothing changes where someone else (a test runner)
    already put handlers on the root logger; one configured before by this function is
    replaced."""
    root = logging.getLogger()
    if any(not getattr(h, "dondoc", False) for h in root.handlers):
        return
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = logging.StreamHandler()
    handler.dondoc = True  # type: ignore[attr-defined]
    if log_format == "json":
        handler.setFormatter(JsonFormatter(secrets))
    else:
        handler.setFormatter(RedactingFormatter(secrets))
    root.addHandler(handler)
    root.setLevel(level)
