"""Part of an order line goes back: the demo order system keeps the units returned, and the rest can follow."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from bot.orders.demo_server.seed import SCENARIOS
from bot.orders.demo_server.store import DemoStore
from bot.orders.model import ReturnKind

NOW = datetime.now(timezone.utc)
ORDER = SCENARIOS["delivered_returnable_en"]  # sneakers and two cotton T-shirts


def test_one_of_two_t_shirts_goes_back_and_the_second_can_follow(tmp_path):
    store = DemoStore(tmp_path / "demo.sqlite", lambda: NOW)
    store.prepare()
    shirts = ORDER["item_ids"][1]
    case = store.create_return(ORDER["number"], [shirts], "too big", ReturnKind.REFUND, {shirts: 1})
    line = next(item for item in store.order(ORDER["number"]).items if item.id == shirts)
    assert case is not None and (line.quantity, line.returned_quantity, line.fully_returned) == (2, 1, False)
    store.create_return(ORDER["number"], [shirts], "the other one too", ReturnKind.REFUND, {shirts: 1})
    assert next(item for item in store.order(ORDER["number"]).items if item.id == shirts).fully_returned


def test_without_quantities_the_whole_line_goes_back(tmp_path):
    store = DemoStore(tmp_path / "demo.sqlite", lambda: NOW)
    store.prepare()
    shirts = ORDER["item_ids"][1]
    store.create_return(ORDER["number"], [shirts], "", ReturnKind.REFUND, {shirts: 5})  # more than bought: all
    assert next(item for item in store.order(ORDER["number"]).items if item.id == shirts).fully_returned


def test_a_demo_file_from_before_quantities_is_upgraded(tmp_path):
    path = tmp_path / "demo.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE returns (id TEXT PRIMARY KEY, order_number TEXT NOT NULL, item_ids TEXT NOT NULL, "
                   "reason TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, label_token TEXT NOT NULL UNIQUE, "
                   "created_at TEXT NOT NULL)")
    store = DemoStore(path, lambda: NOW)
    store.prepare()
    assert store.create_return(ORDER["number"], [ORDER["item_ids"][0]], "", ReturnKind.REFUND) is not None


def test_how_many_in_any_language():
    from bot.orders.items import quantity_in
    assert [quantity_in(answer, 2) for answer in ("1", "2 please", "dwa", "δύο", "ένα", "jedan", "два", "to", "both",
                                                  "begge", "ne znam")] == [1, 2, 2, 2, 1, 1, 2, 2, 2, 2, None]


def test_the_steps_say_how_many_when_part_of_a_line_goes_back():
    from bot.orders import replies
    from bot.orders.demo_server.seed import ORDERS, PRODUCTS, dated_order, dated_product
    from bot.orders.items import Names
    from bot.orders.model import ReturnCase
    order = dated_order(next(seed for seed in ORDERS if seed.number == ORDER["number"]), NOW)
    names = Names.of([dated_product(product, NOW.date()) for product in PRODUCTS], "pl")
    case = ReturnCase("R-1", ORDER["number"], (order.items[1].id,), "")
    values = replies.return_created(case, [order.items[1]], 14, "pl", names, {order.items[1].id: 1})[1]
    assert values["items"] == "1 × Koszulka bawełniana"
