"""API tokens: created and revoked with ``asylum token``; only a hash of the secret is stored.

A token reads ``ae_<id>_<secret>``: the id finds the row, the secret (32 random bytes) is
compared by its sha256 in constant time. A plain hash suffices (no slow KDF): the secret is
random, not a password, so it cannot be guessed from its hash by a dictionary.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlalchemy import Engine, insert, select, update

from asylumengine.store.runs import now
from asylumengine.store.schema import settings as settings_t
from asylumengine.store.schema import tokens as tokens_t

TOKEN = re.compile(r"^ae_([0-9a-f]{8})_([A-Za-z0-9_-]{20,80})$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,79}$")


class TokenError(Exception):
    """Why a token was refused, or a token command failed (one line)."""


def _hash(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()


def create(engine: Engine, name: str) -> tuple[str, str]:
    """A new token for ``name``: (id, the full token, shown once)."""
    if not NAME.match(name):
        raise TokenError(f"token name {name!r}: use 1-80 letters, digits, spaces or . _ @ -")
    tid, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(insert(tokens_t).values(id=tid, name=name, secret_hash=_hash(secret), created_at=now()))
    return tid, f"ae_{tid}_{secret}"


def revoke(engine: Engine, tid: str) -> str:
    """Revoke a token by id; its name. Revoking twice is an error that says so."""
    with engine.begin() as conn:
        row = conn.execute(select(tokens_t).where(tokens_t.c.id == tid)).mappings().first()
        if row is None:
            raise TokenError(f"no token {tid!r} (asylum token list shows them)")
        if row["revoked_at"] is not None:
            raise TokenError(f"token {tid} ({row['name']}) was already revoked on {row['revoked_at']:%Y-%m-%d %H:%M}")
        conn.execute(update(tokens_t).where(tokens_t.c.id == tid).values(revoked_at=now()))
    return row["name"]


def list_tokens(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        q = select(tokens_t.c.id, tokens_t.c.name, tokens_t.c.created_at, tokens_t.c.revoked_at).order_by(tokens_t.c.created_at)
        return [dict(r) for r in conn.execute(q).mappings()]


def verify(engine: Engine, token: str) -> str:
    """The token's id if it is valid; else TokenError saying why (unknown, malformed, revoked)."""
    m = TOKEN.match(token or "")
    if not m:
        raise TokenError("malformed token (expected ae_<id>_<secret>, from `asylum token create NAME`)")
    with engine.connect() as conn:
        row = conn.execute(select(tokens_t).where(tokens_t.c.id == m[1])).mappings().first()
    if row is None or not hmac.compare_digest(row["secret_hash"], _hash(m[2])):
        raise TokenError("unknown token")
    if row["revoked_at"] is not None:
        raise TokenError(f"token {row['id']} was revoked")
    return row["id"]


def setting(engine: Engine, key: str, make) -> str:
    """A stored server setting (e.g. the key that signs web sessions), created once by ``make()``."""
    with engine.begin() as conn:
        value = conn.execute(select(settings_t.c.value).where(settings_t.c.key == key)).scalar()
        if value is None:
            value = make()
            conn.execute(insert(settings_t).values(key=key, value=value))
    return value
