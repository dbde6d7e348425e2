"""Logging in to the web pages through the bot: one-time links, sessions, the signing key.

``/web`` in a private chat asks :func:`issue_link` for a link: a random token of 256 bits
of which only the SHA-256 is stored, valid :data:`LINK_MINUTES` and usable once; a person
gets at most :data:`LINKS_PER_WINDOW` links per :data:`LINK_WINDOW` (counted in the
database, so several instances and a restart count the same). Opening the link
(:func:`open_session`) spends it and opens a session: another random key, stored hashed,
which the web adapter (``webui/auth.py``) puts in a signed cookie. :func:`session_actor`
turns the key back into the person (an :class:`~bot.services.identity.Actor`, so the
pages read through the same access table as the chat) while the session is neither ended
nor idle longer than ``DONDOC_WEB_IDLE_MINUTES``, and notes when it was last seen.
:func:`end_session` ends one session (logout), :func:`end_all` every session of a
person (``/web thoat``). A person no longer active loses their sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from bot.i18n import pick_language
from bot.services.identity import Actor
from storage.db import Database
from storage.models import Official, Unit, WebLink, WebSession
from storage.queries import add_meta, get_meta

TOKEN_BYTES = 32  # 256 bits of randomness in each link and each session key
LINK_MINUTES = 10
LINKS_PER_WINDOW = 3
LINK_WINDOW = timedelta(minutes=10)
# last_seen_at is written at most this often: a page view is a read, not a write.
TOUCH_EVERY = timedelta(minutes=1)
SECRET_META = "web_secret"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """A link's token and expiry, or when the person may ask again (``retry_at``)."""

    token: str | None
    expires_at: datetime | None = None
    retry_at: datetime | None = None


def issue_link(db: Database, actor: Actor, now: datetime) -> Link:
    """A one-time token for ``actor`` (registered), unless they asked too often."""
    if actor.official_id is None:
        raise ValueError("only a registered person gets a link")
    since = now - LINK_WINDOW
    with db.session() as session:
        recent = list(
            session.scalars(
                select(WebLink.created_at)
                .where(WebLink.official_id == actor.official_id, WebLink.created_at > since)
                .order_by(WebLink.created_at.desc())
                .limit(LINKS_PER_WINDOW)
            )
        )
        if len(recent) >= LINKS_PER_WINDOW:
            return Link(None, retry_at=recent[-1] + LINK_WINDOW)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        expires = now + timedelta(minutes=LINK_MINUTES)
        session.add(
            WebLink(
                token_hash=_hash(token),
                official_id=actor.official_id,
                created_at=now,
                expires_at=expires,
            )
        )
    return Link(token, expires_at=expires)


def open_session(db: Database, token: str, now: datetime) -> str | None:
    """Spend the link ``token`` and open a session: its key, or None for a link unknown,
    used, expired, or of a person no longer active."""
    if not token or len(token) > 100:
        return None
    with db.session() as session:
        # Spent in one statement: two requests racing with one link open one session.
        official_id = session.scalar(
            update(WebLink)
            .where(
                WebLink.token_hash == _hash(token),
                WebLink.used_at.is_(None),
                WebLink.expires_at > now,
            )
            .values(used_at=now)
            .returning(WebLink.official_id)
            .execution_options(synchronize_session=False)
        )
        if official_id is None:
            return None
        active = session.scalar(select(Official.active).where(Official.id == official_id))
        if not active:
            return None
        key = secrets.token_urlsafe(TOKEN_BYTES)
        session.add(
            WebSession(
                key_hash=_hash(key), official_id=official_id, created_at=now, last_seen_at=now
            )
        )
    return key


@dataclass(frozen=True)
class WebVisitor:
    """The person behind a session, and the session (for logging out)."""

    actor: Actor
    session_id: int


def session_actor(db: Database, key: str, now: datetime, idle: timedelta) -> WebVisitor | None:
    """The person of the live session ``key``; None when it is unknown, ended, idle
    longer than ``idle`` (then it is ended), or its person is no longer active."""
    if not key:
        return None
    with db.session() as session:
        row = session.execute(
            select(WebSession, Official, Unit)
            .join(Official, Official.id == WebSession.official_id)
            .outerjoin(Unit, Unit.id == Official.unit_id)
            .where(WebSession.key_hash == _hash(key), WebSession.ended_at.is_(None))
        ).one_or_none()
        if row is None:
            return None
        web, official, unit = row
        if not official.active or now - web.last_seen_at > idle:
            web.ended_at = now
            return None
        if now - web.last_seen_at >= TOUCH_EVERY:
            web.last_seen_at = now
        actor = Actor(
            user_id=official.telegram_user_id,
            language=pick_language(official.locale, official.telegram_language),
            official_id=official.id,
            role=official.role,
            unit_id=unit.id if unit else None,
            unit_name=unit.name if unit else None,
            full_name=official.full_name,
        )
        return WebVisitor(actor, web.id)


def end_session(db: Database, session_id: int, now: datetime) -> None:
    with db.session() as session:
        session.execute(
            update(WebSession)
            .where(WebSession.id == session_id, WebSession.ended_at.is_(None))
            .values(ended_at=now)
        )


def end_all(db: Database, official_id: int, now: datetime) -> int:
    """End every live session of a person (``/web thoat``) and spend their unused links;
    how many sessions were live."""
    with db.session() as session:
        live = session.scalar(
            select(func.count())
            .select_from(WebSession)
            .where(WebSession.official_id == official_id, WebSession.ended_at.is_(None))
        )
        session.execute(
            update(WebSession)
            .where(WebSession.official_id == official_id, WebSession.ended_at.is_(None))
            .values(ended_at=now)
        )
        session.execute(
            update(WebLink)
            .where(WebLink.official_id == official_id, WebLink.used_at.is_(None))
            .values(used_at=now)
        )
    return int(live or 0)


def signing_key(db: Database, configured: str | None) -> str:
    """The key that signs the session cookie: ``DONDOC_WEB_SECRET``, else a random key
    made once and kept in the database's ``meta`` table (every instance reads the same)."""
    if configured:
        return configured
    with db.session() as session:
        found = get_meta(session, SECRET_META)
    if found:
        return found
    with db.session() as session:  # another instance may have made it first: its stays
        add_meta(session, SECRET_META, secrets.token_urlsafe(TOKEN_BYTES))
    with db.session() as session:
        found = get_meta(session, SECRET_META)
    if not found:
        raise RuntimeError("the web signing key could not be stored")
    return found
