"""Meta's webhook checks: the `X-Hub-Signature-256` HMAC of the raw body, and the GET verification handshake."""
from __future__ import annotations

import hashlib
import hmac
from typing import Optional

PREFIX = "sha256="


def sign(raw_body: bytes, app_secret: str) -> str:
    """The header value Meta sends for `raw_body` (what tests and the fake Graph API use to sign)."""
    return PREFIX + hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()


def valid_signature(raw_body: bytes, header: Optional[str], app_secret: str) -> bool:
    """True when `header` is the HMAC-SHA256 of the exact bytes received, keyed with the app secret.

    Without an app secret nothing is valid: an unconfigured channel accepts no deliveries.
    """
    if not app_secret or not header or not header.startswith(PREFIX):
        return False
    received = header[len(PREFIX):].strip().lower()
    return hmac.compare_digest(received.encode("ascii", "replace"), sign(raw_body, app_secret)[len(PREFIX):].encode())


def handshake_challenge(mode: Optional[str], token: Optional[str], challenge: Optional[str],
                        verify_token: str) -> Optional[str]:
    """The challenge to echo when Meta's subscription request carries our verify token, else None (answer 403)."""
    if not verify_token or mode != "subscribe" or challenge is None:
        return None
    if not hmac.compare_digest((token or "").encode("utf-8"), verify_token.encode("utf-8")):
        return None
    return challenge
