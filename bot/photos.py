"""Send a picture once, then re-send it by Telegram's file id.

Charts go out as photos, often the same PNG again: a chairman asks twice with nothing
changed, or the weekly digest sends one chart to every office member in one tick.
Telegram lets a bot re-send a photo it has uploaded by passing the ``file_id`` of that
upload instead of the bytes, so :class:`SentPhotos` remembers, for the SHA-256 of the
bytes, the file id of the first successful upload (a bounded LRU) and uses it afterwards.
A file id Telegram no longer accepts (``BadRequest``) is forgotten and the bytes are
uploaded again.

One instance per Application, kept in ``bot_data`` (:func:`sent_photos`), so replies and
reminders share it. It is only used from the event loop: the bookkeeping never awaits,
so concurrent coroutines cannot interleave inside it and no lock is needed (a lock would
only serialise uploads). Two concurrent first sends of the same bytes both upload; the
later file id wins, and both are valid.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections import OrderedDict
from collections.abc import MutableMapping
from typing import Any

from telegram import Bot, InputFile, Message
from telegram.error import BadRequest

log = logging.getLogger(__name__)

BOT_DATA_KEY = "sent_photos"


class SentPhotos:
    """SHA-256 of a picture's bytes → the Telegram file id of its first upload (an LRU)."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._file_ids: OrderedDict[bytes, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._file_ids)

    async def send(
        self,
        bot: Bot,
        chat_id: int | str,
        content: bytes,
        filename: str,
        caption: str | None = None,
    ) -> Message:
        """Send ``content`` as a photo: by file id when it was uploaded before, else upload it."""
        key = hashlib.sha256(content).digest()
        file_id = self._file_ids.get(key)
        if file_id is not None:
            self._file_ids.move_to_end(key)
            try:
                return await bot.send_photo(chat_id, file_id, caption=caption)
            except BadRequest as exc:
                log.info("photo file id no longer accepted (%s); uploading again", exc)
                if self._file_ids.get(key) == file_id:  # not already replaced meanwhile
                    del self._file_ids[key]
        picture = InputFile(io.BytesIO(content), filename=filename)
        message = await bot.send_photo(chat_id, picture, caption=caption)
        if message.photo:
            self._file_ids[key] = message.photo[-1].file_id  # the largest size
            self._file_ids.move_to_end(key)
            while len(self._file_ids) > self.max_entries:
                self._file_ids.popitem(last=False)
        return message


def sent_photos(bot_data: MutableMapping[Any, Any]) -> SentPhotos:
    """The Application's :class:`SentPhotos`, created on first use."""
    photos = bot_data.get(BOT_DATA_KEY)
    if photos is None:
        photos = bot_data[BOT_DATA_KEY] = SentPhotos()
    return photos
