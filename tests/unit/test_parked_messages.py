"""A report parked for a question keeps the message it came from, whatever its age."""

from __future__ import annotations

import dataclasses

from bot.services.reports import Message
from bot.services.reports.questions import _parked_message


def test_a_parked_message_comes_back_whole() -> None:
    message = Message(41, chat_id=-5, message_id=9, text="nv 2.1 xong", edited=True)
    assert _parked_message({"message": dataclasses.asdict(message)}) == message


def test_rows_parked_before_the_claim_carried_the_log_row_still_load() -> None:
    # Parked by an earlier version: the message named its update, not its log row.
    kept = {"transport": "telegram", "update_id": 7, "chat_id": -5, "message_id": 9}
    message = _parked_message({"message": {**kept, "text": "nv 2.1 xong", "edited": False}})
    assert message == Message(None, chat_id=-5, message_id=9, text="nv 2.1 xong")


def test_the_oldest_rows_keep_their_parts_at_the_top_level() -> None:
    message = _parked_message({"text": "so hoa 80%", "chat_id": 3, "evidence": "f1"})
    assert (message.inbound_id, message.chat_id, message.text) == (None, 3, "so hoa 80%")
    assert message.evidence_file_id == "f1"
