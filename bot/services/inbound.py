"""The message log: every inbound update once (idempotency), with the text behind facts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.transport import Incoming
from storage.models import InboundMessage
from storage.queries import insert_ignore


def log_update(session: Session, incoming: Incoming, official_id: int | None) -> bool:
    """Record ``incoming``; False when this update was already handled (a redelivery).

    The text is kept only for registered people: nothing an unregistered person sends
    is stored beyond the update id.
    """
    return insert_ignore(
        session,
        InboundMessage,
        {
            "transport": incoming.transport,
            "update_id": incoming.update_id,
            "kind": incoming.kind.value,
            "chat_id": incoming.chat.id,
            "user_id": incoming.user.id if incoming.user and official_id else None,
            "message_id": incoming.message_id,
            "official_id": official_id,
            "text": (incoming.text or incoming.callback_data) if official_id else None,
            "received_at": incoming.date,
        },
        ["transport", "update_id"],
    )
