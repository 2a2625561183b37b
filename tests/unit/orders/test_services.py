"""The demo order system as a process of the stack, with its settings."""
import json
import urllib.request

import pytest

from bot.services import Stack, free_port
from bot.settings import LOCAL_ORDERS_API_KEY, Settings


def test_orders_settings_reach_the_processes(monkeypatch):
    monkeypatch.delenv("ORDERS_URL", raising=False)
    monkeypatch.setenv("ORDERS_PORT", "18555")
    monkeypatch.delenv("ORDERS_API_KEY", raising=False)
    environment = Settings(host="127.0.0.1").environment()
    assert (environment["ORDERS_URL"], environment["ORDERS_PORT"], environment["ORDERS_API_KEY"]) == (
        "http://127.0.0.1:18555", "18555", LOCAL_ORDERS_API_KEY)
    monkeypatch.setenv("ORDERS_URL", "https://orders.example.com")
    assert Settings().environment()["ORDERS_URL"] == "https://orders.example.com"


def test_the_stack_starts_the_demo_order_system(tmp_path, monkeypatch):
    monkeypatch.delenv("ORDER_SYSTEM", raising=False)
    monkeypatch.delenv("ORDERS_URL", raising=False)
    settings = Settings(host="127.0.0.1", orders_port=free_port(), orders_api_key="stack-key", run_dir=tmp_path)
    stack = Stack(settings, tmp_path / "logs")
    try:
        assert stack.start_orders() is not None
        request = urllib.request.Request(f"{settings.orders_url}/api/orders/10401", headers={"X-Api-Key": "stack-key"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.loads(response.read())["status"] == "pending"
        assert (tmp_path / "orders.db").exists()
    finally:
        stack.stop()


@pytest.mark.parametrize("kind", ["shopify", "woocommerce", "rest"])
def test_nothing_to_start_for_a_real_shop(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("ORDER_SYSTEM", kind)
    assert Stack(Settings(run_dir=tmp_path), tmp_path / "logs").start_orders() is None
