"""The demo shop's SQLite database: seeded orders and products, and the return cases made through the bot.

Seeding happens when the database is new or the seed data changed (its hash is kept in `meta`); return cases
survive a re-seed. Times are stored as offsets and dated on every read (see `seed`), so nothing goes stale.
Calls are synchronous and short; the web app runs them in a worker thread.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional

from bot.orders import eligibility
from bot.orders.demo_server import seed
from bot.orders.model import Order, OrderStatus, Product, ReturnCase, ReturnKind

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (number TEXT PRIMARY KEY COLLATE NOCASE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS products (sku TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS returns (
    id TEXT PRIMARY KEY COLLATE NOCASE, order_number TEXT NOT NULL COLLATE NOCASE, item_ids TEXT NOT NULL,
    reason TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, label_token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL, quantities TEXT NOT NULL DEFAULT '{}'
);
"""


# A damaged or wrong item is replaced whatever the return window or hygiene rules say; only these stop it
# (an item already sent back has its case).
_REPLACEMENT_BLOCKERS = ("unknown_item", "no_items", "not_delivered", "cancelled", "already_returned")


class ReturnRefused(Exception):
    """The shop does not take these items back; `reason` is an eligibility reason ("window_expired"...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DemoStore:
    def __init__(self, path: Path, now: Callable[[], datetime], return_window_days: int = 30) -> None:
        self.path = path
        self.now = now
        self.return_window_days = return_window_days

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        db.row_factory = sqlite3.Row
        return db

    def ping(self) -> None:
        """Raises sqlite3.Error unless the database can be read and is seeded (readiness)."""
        with closing(self._connect()) as db:
            if db.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone() is None:
                raise sqlite3.OperationalError("the database is not seeded yet")

    def prepare(self) -> None:
        """Create the tables and (re-)seed orders and products when the seed data changed."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        orders = {order.number: json.dumps(_jsonable(order), ensure_ascii=False) for order in seed.ORDERS}
        products = [(product.sku, json.dumps(_jsonable(product), ensure_ascii=False)) for product in seed.PRODUCTS]
        version = hashlib.sha256(json.dumps([orders, products], sort_keys=True).encode()).hexdigest()
        with closing(self._connect()) as db:
            db.executescript(_SCHEMA)
            if "quantities" not in {row["name"] for row in db.execute("PRAGMA table_info(returns)")}:
                db.execute("ALTER TABLE returns ADD COLUMN quantities TEXT NOT NULL DEFAULT '{}'")  # older demo files
            db.execute("BEGIN IMMEDIATE")
            current = db.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()
            if current is None or current["value"] != version:
                db.execute("DELETE FROM orders")
                db.execute("DELETE FROM products")
                db.executemany("INSERT INTO orders VALUES (?, ?)", orders.items())
                db.executemany("INSERT INTO products VALUES (?, ?, ?)",
                               [(sku, position, data) for position, (sku, data) in enumerate(products)])
                db.execute("INSERT OR REPLACE INTO meta VALUES ('seed', ?)", (version,))
            db.execute("COMMIT")

    def order(self, number: str) -> Optional[Order]:
        with closing(self._connect()) as db:
            return self._order(db, number)

    def _order(self, db: sqlite3.Connection, number: str) -> Optional[Order]:
        row = db.execute("SELECT data FROM orders WHERE number = ?", (number,)).fetchone()
        if row is None:
            return None
        returned: dict[str, Optional[int]] = {}  # units sent back per item since; None: the whole line
        for item_ids, quantities in db.execute(
                "SELECT item_ids, quantities FROM returns WHERE order_number = ? AND state != 'rejected'", (number,)):
            units = json.loads(quantities)
            for item_id in json.loads(item_ids):
                before, now = returned.get(item_id, 0), units.get(item_id)
                returned[item_id] = None if before is None or now is None else before + now
        return seed.dated_order(_seed_order(json.loads(row["data"])), self.now(), returned)

    def create_return(self, number: str, item_ids: list[str], reason: str, kind: ReturnKind,
                      quantities: Optional[dict[str, int]] = None) -> Optional[ReturnCase]:
        """A new return case, None when there is no such order; `ReturnRefused` when the items cannot go back.
        `quantities` ({item id: units}) sends part of a line back; other items go back whole."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                order = self._order(db, number)
                if order is None:
                    return None
                verdict = eligibility.check(order, item_ids, self.now(), self.return_window_days)
                if not verdict.eligible and (kind is ReturnKind.REFUND or verdict.reason in _REPLACEMENT_BLOCKERS):
                    raise ReturnRefused(verdict.reason)
                (count,) = db.execute("SELECT COUNT(*) FROM returns WHERE order_number = ?", (number,)).fetchone()
                case = ReturnCase(id=f"R-{order.number}-{count + 1}", order_number=order.number,
                                  item_ids=tuple(item_ids), reason=reason, kind=kind,
                                  label_url=f"/labels/{secrets.token_urlsafe(12)}", created_at=self.now())
                left = {item.id: item.quantity - item.returned_quantity for item in order.items}
                units = {item_id: min(int(count), left[item_id]) for item_id, count in (quantities or {}).items()
                         if item_id in item_ids and item_id in left and 0 < int(count) < left[item_id]}
                db.execute("INSERT INTO returns (id, order_number, item_ids, reason, kind, state, label_token, "
                           "created_at, quantities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                               case.id, case.order_number, json.dumps(list(case.item_ids)), case.reason,
                               case.kind.value, case.state, case.label_url.rsplit("/", 1)[1],
                               case.created_at.isoformat(), json.dumps(units)))
                db.execute("COMMIT")
                return case
            finally:
                if db.in_transaction:
                    db.execute("ROLLBACK")

    def find_return(self, case_id: str) -> Optional[ReturnCase]:
        return self._return("id", case_id)

    def return_by_label(self, token: str) -> Optional[ReturnCase]:
        return self._return("label_token", token)

    def _return(self, column: str, value: str) -> Optional[ReturnCase]:
        with closing(self._connect()) as db:
            row = db.execute(f"SELECT * FROM returns WHERE {column} = ?", (value,)).fetchone()  # noqa: S608
        if row is None:
            return None
        return ReturnCase(id=row["id"], order_number=row["order_number"], item_ids=tuple(json.loads(row["item_ids"])),
                          reason=row["reason"], kind=ReturnKind(row["kind"]), state=row["state"],
                          label_url=f"/labels/{row['label_token']}",
                          created_at=datetime.fromisoformat(row["created_at"]))

    def products(self) -> list[Product]:
        today = self.now().date()
        with closing(self._connect()) as db:
            rows = db.execute("SELECT data FROM products ORDER BY position").fetchall()
        return [seed.dated_product(_seed_product(json.loads(row["data"])), today) for row in rows]


def _jsonable(value: object) -> dict:
    return json.loads(json.dumps(dataclasses.asdict(value), default=lambda v: v.value))


def _seed_order(data: dict) -> seed.SeedOrder:
    return seed.SeedOrder(**{
        **data, "customer": seed.Customer(**data["customer"]), "status": OrderStatus(data["status"]),
        "items": tuple(tuple(item) for item in data["items"])})


def _seed_product(data: dict) -> seed.SeedProduct:
    return seed.SeedProduct(**{**data, "names": {lang: tuple(names) for lang, names in data["names"].items()}})
