"""Order systems under test: every adapter against a real local server (the demo server or a fake shop API)."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest

from bot.orders.demo import DemoOrderSystem
from bot.orders.demo_server import init_app
from bot.orders.demo_server.store import DemoStore
from bot.orders.http import RetryPolicy
from bot.orders.rest import RestConfig, RestOrderSystem
from bot.orders.shopify import ShopifyOrderSystem
from bot.orders.system import OrderSystem
from bot.orders.woocommerce import WooCommerceOrderSystem
from tests.fakes import rest_shop
from tests.fakes.harness import Faults, serve
from tests.fakes.shopify import ShopifyFake
from tests.fakes.woocommerce import WooCommerceFake

EXAMPLE_CONFIG = Path(__file__).resolve().parents[3] / "bot/orders/rest_example.yml"
DEMO_KEY = "demo-test-key"
PAGE = 4  # small pages, so that every catalogue spans several
FAST = RetryPolicy(deadline=1.0, attempt_timeout=0.4, attempts=5, backoff=0.01, max_backoff=0.05)
ADAPTERS = ("demo", "rest_demo", "rest_shop", "shopify", "woocommerce")


@dataclass
class Shop:
    kind: str
    url: str
    faults: Faults
    build: Callable[[RetryPolicy], OrderSystem]  # another adapter on the same server, with its own retry policy
    system: OrderSystem
    fake: object = None


def example_config(page_size: int = PAGE) -> RestConfig:
    config = RestConfig.load(EXAMPLE_CONFIG)
    return RestConfig(**{**config.__dict__, "pagination": {**config.pagination, "size": page_size}})


def builder(kind: str, url: str) -> Callable[[RetryPolicy], OrderSystem]:
    common = {"return_window_days": 30, "catalogue_ttl": 0}
    return {
        "demo": lambda policy: DemoOrderSystem(url, DEMO_KEY, policy=policy, page_size=PAGE, **common),
        "rest_demo": lambda policy: RestOrderSystem(example_config(), url, DEMO_KEY, policy=policy, **common),
        "rest_shop": lambda policy: RestOrderSystem(RestConfig.from_dict(rest_shop.CONFIG), url, "rest-token",
                                                    policy=policy, **common),
        "shopify": lambda policy: ShopifyOrderSystem(url, "shpat_test", "2024-07", policy=policy, page_size=PAGE,
                                                     **common),
        "woocommerce": lambda policy: WooCommerceOrderSystem(url, "ck_test", "cs_test", policy=policy, page_size=PAGE,
                                                             **common),
    }[kind]


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """A freshly seeded demo database, copied for each test (seeding once keeps the suite fast)."""
    path = tmp_path_factory.mktemp("demo-seed") / "orders.db"
    DemoStore(path, lambda: datetime.now(timezone.utc)).prepare()
    return path


def server_app(kind: str, tmp_path: Path, seeded_db: Path, now: datetime):
    """The app to serve for `kind`, and the fake behind it (None for the demo server, on a copy of `seeded_db`)."""
    if kind in ("demo", "rest_demo"):
        return init_app(shutil.copy(seeded_db, tmp_path / "orders.db"), DEMO_KEY), None
    fake = {"rest_shop": rest_shop.RestShopFake, "shopify": ShopifyFake, "woocommerce": WooCommerceFake}[kind](now)
    return fake.app(), fake


@pytest.fixture(params=ADAPTERS)
async def shop(request, tmp_path, seeded_db):
    app, fake = server_app(request.param, tmp_path, seeded_db, datetime.now(timezone.utc))
    faults = Faults()
    async with serve(app, faults) as url:
        build = builder(request.param, url)
        system = build(FAST)
        yield Shop(request.param, url, faults, build, system, fake)
        await system.close()
