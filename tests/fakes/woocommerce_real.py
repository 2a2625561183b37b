"""WooCommerce bodies from the WooCommerce REST API documentation (tests/fixtures/real/woocommerce, see its README),
as the fake serves them, and shipment tracking items in the shape the plugins write them."""
from __future__ import annotations

import copy
import json
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "fixtures/real/woocommerce"


def documented(kind: str) -> dict:
    return json.loads((REAL / f"docs_{kind}.json").read_text())


def order() -> dict:
    """Order 727 of the documentation ("Retrieve an order"): processing, a variation line item whose name has an
    HTML entity."""
    return copy.deepcopy(documented("orders")["Retrieve an order"])


def ast_tracking_item(provider: str, number: str, shipped: int, status_shipped: str = "1") -> dict:
    """A tracking item as Advanced Shipment Tracking's `add_tracking_item` stores it (2.4.6: provider slug,
    number, shipping date as a Unix time, whether it shipped, an md5 id)."""
    return {"tracking_provider": provider, "tracking_number": number, "date_shipped": str(shipped),
            "status_shipped": status_shipped, "tracking_id": "8a3b1c7f0e9d4b2a6c5e1f0d9b8a7c6e"}


def products() -> list[dict]:
    """The documentation's simple product 794 and variable product 799."""
    listed = documented("products")["List all products"]
    return copy.deepcopy(listed)


def variations() -> list[dict]:
    """The documentation's variations 733 (Green) and 732 (Black), served as those of product 799."""
    return copy.deepcopy(documented("product_variations")["List all product variations"])
