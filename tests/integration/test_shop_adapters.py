"""Shopify and WooCommerce through the action server: a real `rasa run actions` process per shop, configured by
ORDER_SYSTEM like a shop owner does, reading the fakes that serve published bodies (tests/fixtures/real), asked by
Rasa's own action-server protocol for the answers the customer gets."""
from __future__ import annotations

import asyncio
import copy
import dataclasses
import os
import threading
from datetime import datetime, timezone
from typing import Any, Iterator

import pytest

from bot.services import Stack, free_port
from bot.settings import Settings
from tests.conftest import http_json
from tests.fakes import woocommerce_real as real
from tests.fakes.harness import serve
from tests.fakes.shopify import ShopifyFake
from tests.fakes.woocommerce import WooCommerceFake

VERSION = "3.6.21"


class FakeShops:
    """The two fake shops on 127.0.0.1, in a thread of their own (the action servers are other processes)."""

    def __init__(self) -> None:
        now = datetime.now(timezone.utc)
        self.shopify = ShopifyFake(now).add_real()
        nano = next(p for p in self.shopify.products if p["title"] == "IPod Nano - 8GB")
        next(v for v in nano["variants"] if v["title"] == "Red")["inventory_quantity"] = 0  # sold out
        self.woo = WooCommerceFake(now).add_real()
        order = self.woo.orders[727]
        order["status"] = "partial-shipped"
        order["meta_data"].append({"id": 3001, "key": "_wc_shipment_tracking_items",
                                   "value": [real.ast_tracking_item("royal-mail", "JD014600006GB", 1_711_000_000)]})
        unknown = copy.deepcopy(order)
        unknown.update(id=728, number="728", status="awaiting-pickup")  # a status no plugin we know registers
        self.woo.orders[728] = unknown
        self.urls: dict[str, str] = {}
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._serve(),), daemon=True)

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with serve(self.shopify.app()) as shopify, serve(self.woo.app()) as woo:
            self.urls = {"shopify": shopify, "woocommerce": woo}
            self._ready.set()
            await self._stop.wait()

    def __enter__(self) -> "FakeShops":
        self._thread.start()
        assert self._ready.wait(10), "the fake shops did not start"
        return self

    def __exit__(self, *_: Any) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


def shop_environment(kind: str, url: str) -> dict[str, str]:
    if kind == "shopify":
        return {"ORDER_SYSTEM": "shopify", "SHOPIFY_SHOP_URL": url, "SHOPIFY_ACCESS_TOKEN": "shpat_test",
                "SHOPIFY_API_VERSION": "2024-07"}
    return {"ORDER_SYSTEM": "woocommerce", "WOOCOMMERCE_URL": url, "WOOCOMMERCE_CONSUMER_KEY": "ck_test",
            "WOOCOMMERCE_CONSUMER_SECRET": "cs_test"}


@pytest.fixture(scope="module")
def action_servers(stack_settings: Settings, tmp_path_factory) -> Iterator[dict[str, str]]:
    """An action server per shop, started the way `bot run` starts it, with the shop's variables."""
    with FakeShops() as shops:
        stacks, urls = [], {}
        for kind in ("shopify", "woocommerce"):
            settings = dataclasses.replace(stack_settings, action_port=free_port(),
                                           run_dir=tmp_path_factory.mktemp(f"actions-{kind}"))
            running = Stack(settings, settings.run_dir)
            saved = dict(os.environ)
            os.environ.update(shop_environment(kind, shops.urls[kind]))
            try:
                running.start_actions()
            finally:
                os.environ.clear()
                os.environ.update(saved)
            stacks.append(running)
            urls[kind] = f"http://{settings.host}:{settings.action_port}/webhook"
        try:
            yield urls
        finally:
            for running in stacks:
                running.stop()


def run_action(url: str, action: str, slots: dict[str, Any], text: str = "",
               domain: dict[str, Any] | None = None) -> dict:
    """What Rasa sends the action server for `action` (its tracker state), and the answer."""
    sender = f"shop-test-{action}-{os.urandom(4).hex()}"
    latest = {"text": text, "intent": {"name": "ask_restock", "confidence": 1.0}, "entities": [], "metadata": {}}
    tracker = {"sender_id": sender, "slots": {"language": "en", **slots}, "latest_message": latest,
               "events": [{"event": "user", "text": text, "parse_data": latest, "metadata": {}}] if text else [],
               "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"}
    return http_json(url, {"next_action": action, "sender_id": sender, "tracker": tracker,
                           "domain": domain or {}, "version": VERSION})


def verified(number: str) -> dict[str, str]:
    return {"order_number": number, "order_contact": "verified", "verified_order": number}


def test_a_shopify_order_fulfilled_without_fulfillment_records_is_shipped(action_servers):
    answer = run_action(action_servers["shopify"], "action_order_status", verified("1002"))
    assert answer["responses"][0]["response"] == "utter_order_shipped"
    assert answer["responses"][0]["order"] == "1002"


def test_a_sold_out_shopify_variant_is_not_in_stock(action_servers):
    domain = {"forms": {"restock_form": {"required_slots": ["product"]}},
              "slots": {"product": {"type": "text", "mappings": [{"type": "custom"}]}}}
    found = run_action(action_servers["shopify"], "validate_restock_form", {"requested_slot": None},
                       text="is the ipod nano in red available?", domain=domain)
    product = next(e["value"] for e in found["events"] if e.get("event") == "slot" and e["name"] == "product")
    assert product == "IPOD2008RED"
    answer = run_action(action_servers["shopify"], "action_restock_answer", {"product": product})
    assert answer["responses"][0]["response"] in ("utter_restock_not_planned", "utter_restock_date")
    assert "Red" in answer["responses"][0]["product"]
    other = run_action(action_servers["shopify"], "action_restock_answer", {"product": "IPOD2008PINK"})
    assert other["responses"][0]["response"] == "utter_product_in_stock"


def test_a_woocommerce_order_with_advanced_shipment_tracking_has_carrier_and_link(action_servers):
    answer = run_action(action_servers["woocommerce"], "action_order_status", verified("727"))
    reply = answer["responses"][0]
    assert reply["response"] == "utter_order_shipped"
    assert reply["carrier"] == "Royal Mail"
    assert reply["tracking_url"] == "https://www.royalmail.com/track-your-item/?trackNumber=JD014600006GB"


def test_an_unknown_woocommerce_status_gets_a_polite_answer_and_a_person_offered(action_servers):
    answer = run_action(action_servers["woocommerce"], "action_order_status", verified("728"))
    assert [reply["response"] for reply in answer["responses"]] == ["utter_backend_down"]
    assert {"event": "followup", "name": "utter_offer_person"}.items() <= next(
        e for e in answer["events"] if e["event"] == "followup").items()
