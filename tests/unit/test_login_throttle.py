"""The login throttle sees the real client address only through proxies the operator trusts."""
from __future__ import annotations

from bot.desk.login_throttle import client_address


def test_a_forwarded_address_counts_only_from_a_trusted_proxy():
    assert client_address("203.0.113.9", "198.51.100.7", []) == "203.0.113.9"
    assert client_address("203.0.113.9", "198.51.100.7", ["10.0.0.0/8"]) == "203.0.113.9"  # a forged header
    assert client_address("10.2.0.5", "198.51.100.7", ["10.0.0.0/8"]) == "198.51.100.7"
    # a client can prepend anything: the last hop that is not ours is the one that reached the ingress
    assert client_address("10.2.0.5", "1.2.3.4, 198.51.100.7, 10.3.0.1", ["10.0.0.0/8"]) == "198.51.100.7"
    assert client_address("10.2.0.5", "", ["10.0.0.0/8"]) == "10.2.0.5"
