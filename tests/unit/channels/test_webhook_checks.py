"""The signature on Meta's deliveries and the subscription handshake."""
from __future__ import annotations

import json

from bot.channels.signature import handshake_challenge, sign, valid_signature

SECRET = "app-secret-123"


def test_signature_over_the_raw_bytes_with_escaped_unicode_is_valid():
    raw = json.dumps({"text": "Καλημέρα, äöå"}).encode()  # Meta sends \u escapes; the HMAC covers these bytes
    assert b"\\u" in raw
    assert valid_signature(raw, sign(raw, SECRET), SECRET)


def test_one_changed_byte_a_wrong_secret_or_no_header_is_invalid():
    raw = b'{"object": "page", "entry": []}'
    header = sign(raw, SECRET)
    assert not valid_signature(raw.replace(b"[]", b"[ ]"), header, SECRET)
    assert not valid_signature(raw, sign(raw, "another-secret"), SECRET)
    assert not valid_signature(raw, None, SECRET)
    assert not valid_signature(raw, "", SECRET)
    assert not valid_signature(raw, header.replace("sha256=", "sha1="), SECRET)
    assert not valid_signature(raw, "sha256=ünïcödé", SECRET)


def test_without_an_app_secret_nothing_is_valid():
    raw = b"{}"
    assert not valid_signature(raw, sign(raw, ""), "")


def test_upper_case_hex_is_accepted():
    raw = b"{}"
    assert valid_signature(raw, "sha256=" + sign(raw, SECRET)[7:].upper(), SECRET)


def test_handshake_echoes_the_challenge_only_for_our_token_and_subscribe():
    assert handshake_challenge("subscribe", "verify-me", "1158201444", "verify-me") == "1158201444"
    assert handshake_challenge("subscribe", "wrong", "1158201444", "verify-me") is None
    assert handshake_challenge("unsubscribe", "verify-me", "1158201444", "verify-me") is None
    assert handshake_challenge(None, None, None, "verify-me") is None
    assert handshake_challenge("subscribe", "", "1", "") is None  # no verify token configured: refused
