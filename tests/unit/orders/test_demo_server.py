"""The demo order system's HTTP API, through a real server on 127.0.0.1."""
import sqlite3
from datetime import datetime, timedelta, timezone

import aiohttp
import pytest

from bot.orders.demo_server import API_KEY_HEADER, init_app
from bot.orders.demo_server.seed import ORDERS, PRODUCTS, SCENARIOS
from tests.fakes.harness import serve

KEY = "test-key"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def demo(tmp_path, clock):
    async with serve(init_app(tmp_path / "orders.db", KEY, now=clock)) as url, \
            aiohttp.ClientSession(headers={API_KEY_HEADER: KEY}) as http:
        yield url, http


async def get(http, url):
    async with http.get(url) as response:
        return response.status, await response.json()


async def post(http, url, body):
    async with http.post(url, json=body) as response:
        return response.status, await response.json()


async def test_health_needs_no_key_but_the_api_does(demo):
    url, _ = demo
    async with aiohttp.ClientSession() as anonymous:
        assert (await get(anonymous, f"{url}/health")) == (200, {"status": "ok"})
        assert (await get(anonymous, f"{url}/api/orders/10401"))[0] == 401
    async with aiohttp.ClientSession(headers={API_KEY_HEADER: "wrong"}) as wrong:
        assert (await get(wrong, f"{url}/api/orders/10401"))[0] == 401


def test_the_seed_covers_every_status_in_every_market():
    for language in ("en", "el", "pl", "sr", "hr", "nb", "da"):
        statuses = {s["status"] for s in SCENARIOS.values() if s.get("language") == language}
        assert {"pending", "shipped", "out_for_delivery", "delivered"} <= statuses, language
    assert {o.customer.country for o in ORDERS} == {"GB", "IE", "GR", "CY", "PL", "RS", "HR", "NO", "DK"}
    assert len(ORDERS) >= 50 and len(PRODUCTS) >= 15
    assert all(len(product.names) == 7 for product in PRODUCTS)
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in name) for name in PRODUCTS[0].names["sr"])


async def test_an_order_as_json(demo):
    url, http = demo
    scenario = SCENARIOS["shipped_pl"]
    status, order = await get(http, f"{url}/api/orders/{scenario['number']}")
    assert status == 200
    assert (order["status"], order["customer"]["email"], order["country"]) == ("shipped", scenario["email"], "PL")
    assert order["shipment"]["carrier"] == "InPost"
    assert order["shipment"]["tracking_url"].startswith("https://inpost.pl/") and order["shipment"]["expected_delivery"]
    assert [item["id"] for item in order["items"]] == scenario["item_ids"]
    assert (await get(http, f"{url}/api/orders/99999"))[0] == 404
    assert (await get(http, f"{url}/api/orders/a-2291"))[1]["number"] == "A-2291"


async def test_dates_stay_meaningful_whenever_the_demo_runs(demo, clock):
    url, http = demo
    number = SCENARIOS["delivered_returnable_el"]["number"]
    for shift in (timedelta(0), timedelta(days=400)):
        clock.now = datetime.now(timezone.utc) + shift
        _, order = await get(http, f"{url}/api/orders/{number}")
        delivered = datetime.fromisoformat(order["delivered_at"])
        assert timedelta(days=4) < clock.now - delivered < timedelta(days=6)
        _, page = await get(http, f"{url}/api/products?per_page=100")
        rain_jacket = next(p for p in page["products"] if p["sku"] == SCENARIOS["restock_planned"]["sku"])
        assert rain_jacket["restock_date"] == (clock.now.date() + timedelta(days=12)).isoformat()


async def test_a_return_is_created_found_and_counted(demo):
    url, http = demo
    scenario = SCENARIOS["delivered_returnable_pl"]
    body = {"order_number": scenario["number"], "item_ids": scenario["item_ids"][:1], "reason": "za mały",
            "kind": "replacement"}
    status, case = await post(http, f"{url}/api/returns", body)
    assert status == 201
    assert (case["id"], case["kind"], case["state"]) == (f"R-{scenario['number']}-1", "replacement", "requested")
    assert (await get(http, f"{url}/api/returns/{case['id'].lower()}")) == (200, case)
    async with http.get(case["label_url"]) as label:
        assert label.status == 200 and case["id"] in await label.text()
    _, order = await get(http, f"{url}/api/orders/{scenario['number']}")
    assert order["items"][0]["returned_quantity"] == order["items"][0]["quantity"]
    assert (await post(http, f"{url}/api/returns", body)) == (409, {"error": "already_returned"})
    body["item_ids"] = scenario["item_ids"][1:2]
    assert (await post(http, f"{url}/api/returns", body))[1]["id"] == f"R-{scenario['number']}-2"


@pytest.mark.parametrize("scenario, items, reason", [
    ("shipped_pl", None, "not_delivered"),
    ("delivered_window_expired_en", None, "window_expired"),
    ("non_returnable_item_sr", "non_returnable_item_ids", "not_returnable"),
    ("cancelled_hr", None, "cancelled"),
])
async def test_returns_the_shop_does_not_take(demo, scenario, items, reason):
    url, http = demo
    data = SCENARIOS[scenario]
    body = {"order_number": data["number"], "item_ids": data[items or "item_ids"], "reason": "x"}
    assert (await post(http, f"{url}/api/returns", body)) == (409, {"error": reason})


@pytest.mark.parametrize("body", [{}, {"order_number": "10405"}, {"order_number": 10405, "item_ids": []},
                                  {"order_number": "10405", "item_ids": [1]}, [1, 2]])
async def test_malformed_return_requests(demo, body):
    url, http = demo
    assert (await post(http, f"{url}/api/returns", body))[0] == 400


async def test_a_return_for_an_unknown_order(demo):
    url, http = demo
    assert (await post(http, f"{url}/api/returns", {"order_number": "99999", "item_ids": ["x"]}))[0] == 404


async def test_products_are_paginated(demo):
    url, http = demo
    seen, page = [], 1
    while page:
        status, data = await get(http, f"{url}/api/products?page={page}&per_page=5")
        seen += [product["sku"] for product in data["products"]]
        page = data["next_page"]
    assert seen == [product.sku for product in PRODUCTS]
    assert data["pages"] == 4


async def test_a_changed_seed_reseeds_and_keeps_the_returns(tmp_path, clock):
    db = tmp_path / "orders.db"
    scenario = SCENARIOS["delivered_returnable_nb"]
    body = {"order_number": scenario["number"], "item_ids": scenario["item_ids"], "reason": "for liten"}
    async with serve(init_app(db, KEY, now=clock)) as url, aiohttp.ClientSession(headers={API_KEY_HEADER: KEY}) as http:
        case_id = (await post(http, f"{url}/api/returns", body))[1]["id"]
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE meta SET value = 'old' WHERE key = 'seed'")
        connection.execute("DELETE FROM orders")
    async with serve(init_app(db, KEY, now=clock)) as url, aiohttp.ClientSession(headers={API_KEY_HEADER: KEY}) as http:
        assert (await get(http, f"{url}/api/orders/{scenario['number']}"))[0] == 200
        assert (await get(http, f"{url}/api/returns/{case_id}"))[1]["item_ids"] == scenario["item_ids"]


async def test_a_damaged_item_is_replaced_even_after_the_return_window(demo):
    url, http = demo
    scenario = SCENARIOS["delivered_window_expired_en"]
    body = {"order_number": scenario["number"], "item_ids": scenario["item_ids"], "reason": "damaged: torn seam"}
    assert (await post(http, f"{url}/api/returns", {**body, "kind": "refund"})) == (409, {"error": "window_expired"})
    status, case = await post(http, f"{url}/api/returns", {**body, "kind": "replacement"})
    assert status == 201 and case["kind"] == "replacement"


def _samples(text: str) -> dict[tuple, float]:
    from prometheus_client.parser import text_string_to_metric_families
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


async def test_probes_and_metrics_count_requests_per_route_without_order_numbers_and_show_an_outage(demo, tmp_path):
    url, http = demo
    async with aiohttp.ClientSession() as anonymous:
        assert (await get(anonymous, f"{url}/healthz")) == (200, {"status": "ok"})
        assert (await get(anonymous, f"{url}/readyz")) == (200, {"status": "ok"})
        async with anonymous.get(f"{url}/metrics") as response:
            before = _samples(await response.text())
        number = SCENARIOS["shipped_pl"]["number"]
        assert (await get(http, f"{url}/api/orders/{number}"))[0] == 200
        assert (await get(http, f"{url}/api/orders/99999"))[0] == 404
        assert (await get(anonymous, f"{url}/api/orders/{number}"))[0] == 401
        assert (await post(http, f"{url}/api/admin/outage", {"mode": "down", "seconds": 60}))[0] == 200
        assert (await get(http, f"{url}/api/orders/{number}"))[0] == 503
        async with anonymous.get(f"{url}/metrics") as response:
            assert response.status == 200 and response.headers["Content-Type"].startswith("text/plain")
            text = await response.text()
    after = _samples(text)
    route = (("route", "/api/orders/{number}"),)

    def added(status: str) -> float:
        key = ("shop_orders_requests_total", tuple(sorted(route + (("status", status),))))
        return after.get(key, 0) - before.get(key, 0)

    assert [added(status) for status in ("200", "404", "401", "503")] == [1, 1, 1, 1]
    assert after[("shop_orders_request_seconds_count", route)] - before.get(
        ("shop_orders_request_seconds_count", route), 0) == 4
    assert after[("shop_orders_outage", (("mode", "down"),))] == 1
    assert after[("shop_orders_outage", (("mode", "slow"),))] == 0
    # Route templates only, never what the customer asked for: in the labels (a sample's value, a float such as
    # 0.849999999999998, may hold the same digits by chance).
    labels = [value for _, pairs in after for _, value in pairs]
    assert not [value for value in labels if number in value or "99999" in value]
    (tmp_path / "orders.db").write_bytes(b"not a database" * 100)  # the disk lost the file
    async with aiohttp.ClientSession() as anonymous:
        status, body = await get(anonymous, f"{url}/readyz")
        assert status == 503 and body["status"] == "not ready"
        assert (await get(anonymous, f"{url}/healthz"))[0] == 200  # alive: no restart for a bad file
