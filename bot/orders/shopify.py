"""`ShopifyOrderSystem`: the Shopify Admin API (REST for orders and products, GraphQL for returns).

- Orders by name: `GET /admin/api/{version}/orders.json?name=%231001&status=any` (header `X-Shopify-Access-Token`).
  Status: `bot.orders.shopify_status` (`fulfillment_status` with the active fulfillments' `shipment_status`, the
  same terms as GraphQL's `displayFulfillmentStatus`; fulfilled without fulfillment records is shipped; delivered
  at the fulfillment's `updated_at`). Tracking is the latest fulfillment's `tracking_company`/`tracking_number`/
  `tracking_url`. Gift cards and line items with the property `_non_returnable` are not returnable; refunded
  quantities count as returned.
- Products: `products.json`, cursor pages through `Link: <...page_info=...>; rel="next"`; per variant
  (`bot.orders.variants`): its own `inventory_quantity` (an untracked variant counts as one in stock), its
  options translated through the Translations API where the shop has them, and for a sold-out variant the restock
  date from its metafield `custom.restock_date` (configurable), else the product's.
- Returns: GraphQL `returnableFulfillments` (line item -> fulfillment line items), then the `returnRequest`
  mutation; a case id is `R-<numeric Return id>`, found again with the `return(id:)` query.
"""
from __future__ import annotations

import asyncio
import logging
import re
from datetime import date
from typing import Any, Optional

from bot.orders import shopify_status
from bot.orders.adapter import HttpOrderSystem
from bot.orders.http import JsonClient, RetryPolicy, next_link
from bot.orders.model import Order, OrderItem, OrderStatus, Product, ReturnCase, ReturnKind
from bot.orders.parse import day, dig, flag, integer, mapping, moment, sequence, text
from bot.orders.variants import LANGUAGES, variant_label, with_variants
from bot.orders.system import (OrderSystemAuthError, OrderSystemBadResponse, OrderSystemRejected,
                               OrderSystemUnavailable)

log = logging.getLogger(__name__)

MAX_PAGES = 40
REPLACEMENT_NOTE = "Replacement requested."
_CASE_ID = re.compile(r"^R-?(\d+)$", re.IGNORECASE)
_ACTIVE_FULFILLMENT = frozenset({"pending", "open", "success"})
_RETURN_REASONS = (("damag", "DEFECTIVE"), ("defect", "DEFECTIVE"), ("broken", "DEFECTIVE"), ("wrong", "WRONG_ITEM"),
                   ("small", "SIZE_TOO_SMALL"), ("large", "SIZE_TOO_LARGE"), ("big", "SIZE_TOO_LARGE"),
                   ("described", "NOT_AS_DESCRIBED"), ("colo", "COLOR"), ("style", "STYLE"),
                   ("mind", "UNWANTED"), ("unwanted", "UNWANTED"))
_RETURN_STATES = {"REQUESTED": "requested", "OPEN": "requested", "DECLINED": "rejected", "CANCELED": "rejected"}

RETURNABLE_QUERY = """query Returnable($orderId: ID!) {
  returnableFulfillments(orderId: $orderId, first: 20) {
    edges { node { returnableFulfillmentLineItems(first: 100) {
      edges { node { quantity fulfillmentLineItem { id lineItem { id } } } }
    } } }
  }
}"""
_RETURN_FIELDS = """id name status order { id name }
    returnLineItems(first: 100) { edges { node { ... on ReturnLineItem {
      id quantity returnReason customerNote fulfillmentLineItem { lineItem { id } }
    } } } }"""
RETURN_REQUEST_MUTATION = f"""mutation ReturnRequest($input: ReturnRequestInput!) {{
  returnRequest(input: $input) {{
    return {{ {_RETURN_FIELDS} }}
    userErrors {{ field message code }}
  }}
}}"""
RETURN_QUERY = f"""query FindReturn($id: ID!) {{
  return(id: $id) {{ {_RETURN_FIELDS} }}
}}"""
OPTION_TRANSLATIONS_QUERY = """query OptionTranslations($locale: String!) {
  translatableResources(first: 250, resourceType: PRODUCT_OPTION_VALUE) {
    edges { node { resourceId translatableContent { key value } translations(locale: $locale) { key value } } }
  }
}"""


class ShopifyOrderSystem(HttpOrderSystem):
    name = "shopify"

    def __init__(self, shop_url: str, access_token: str, api_version: str = "2024-07", return_window_days: int = 30,
                 restock_metafield: str = "custom.restock_date", order_name_prefix: str = "#",
                 policy: RetryPolicy = RetryPolicy(), catalogue_ttl: float = 60.0, page_size: int = 250) -> None:
        client = JsonClient(self.name, {"X-Shopify-Access-Token": access_token}, policy=policy)
        super().__init__(client, return_window_days, catalogue_ttl)
        self.api = f"{shop_url.rstrip('/')}/admin/api/{api_version}"
        self.metafield_namespace, _, self.metafield_key = restock_metafield.rpartition(".")
        self.prefix = order_name_prefix
        self.page_size = page_size

    async def find_order(self, number: str) -> Optional[Order]:
        wanted = f"{self.prefix}{number}"
        response = await self.client.get(f"{self.api}/orders.json", {"name": wanted, "status": "any"})
        if response is None:
            raise OrderSystemBadResponse(f"{self.name}: no orders endpoint (check the shop URL and API version)")
        for raw in sequence(mapping(response.data, "orders answer").get("orders"), "orders"):
            if text(mapping(raw, "order").get("name")).casefold() == wanted.casefold():
                return self._order(raw)
        return None

    def _order(self, raw: dict) -> Order:
        name = text(raw.get("name"))
        fulfillments = [mapping(f, "fulfillment") for f in sequence(raw.get("fulfillments") or [], "fulfillments")
                        if text(dig(f, "status")) in _ACTIVE_FULFILLMENT]
        status = _status(raw, fulfillments)
        tracked = sorted((f for f in fulfillments if f.get("tracking_number")), key=lambda f: text(f.get("created_at")))
        shipment = tracked[-1] if tracked else {}
        delivered = [moment(f.get("updated_at")) for f in fulfillments]
        customer = mapping(raw.get("customer") or {}, "customer")
        refunded = _refunded(raw)
        full_name = " ".join(filter(None, (text(customer.get("first_name")), text(customer.get("last_name")))))
        return Order(
            number=name[len(self.prefix):] if name.startswith(self.prefix) else name, id=text(raw.get("id")),
            status=status, customer_email=text(raw.get("email") or raw.get("contact_email") or customer.get("email")),
            customer_phone=text(raw.get("phone") or customer.get("phone") or dig(raw, "shipping_address.phone")
                                or dig(raw, "billing_address.phone")),
            customer_name=full_name or text(dig(raw, "shipping_address.name")),
            country=text(dig(raw, "shipping_address.country_code")), placed_at=moment(raw.get("created_at")),
            items=tuple(self._item(item, refunded) for item in sequence(raw.get("line_items") or [], "items")),
            carrier=text(shipment.get("tracking_company")), tracking_number=text(shipment.get("tracking_number")),
            tracking_url=text(shipment.get("tracking_url")),
            delivered_at=max(filter(None, delivered), default=None) if status is OrderStatus.DELIVERED else None)

    @staticmethod
    def _item(raw: Any, refunded: dict[str, int]) -> OrderItem:
        raw = mapping(raw, "line item")
        properties = {text(dig(p, "name")): dig(p, "value") for p in sequence(raw.get("properties") or [], "props")}
        item_id = text(raw.get("id"))
        return OrderItem(id=item_id, name=text(raw.get("name") or raw.get("title")),
                         quantity=integer(raw.get("quantity"), 1), sku=text(raw.get("sku")),
                         returnable=not flag(raw.get("gift_card")) and not flag(properties.get("_non_returnable")),
                         returned_quantity=refunded.get(item_id, 0))

    async def create_return(self, order: Order, item_ids: list[str], reason: str,
                            kind: ReturnKind = ReturnKind.REFUND) -> ReturnCase:
        data = await self._graphql(RETURNABLE_QUERY, {"orderId": f"gid://shopify/Order/{order.id}"})
        returnable: dict[str, list[tuple[str, int]]] = {}
        for fulfillment in sequence(dig(data, "returnableFulfillments.edges", []), "returnable fulfillments"):
            for line in sequence(dig(fulfillment, "node.returnableFulfillmentLineItems.edges", []), "lines"):
                item_id = _numeric_id(text(dig(line, "node.fulfillmentLineItem.lineItem.id")))
                returnable.setdefault(item_id, []).append(
                    (text(dig(line, "node.fulfillmentLineItem.id")), integer(dig(line, "node.quantity"))))
        missing = [item_id for item_id in item_ids if not returnable.get(item_id)]
        if missing:
            raise OrderSystemRejected(f"{self.name}: items not returnable", "not_returnable")
        note = f"{REPLACEMENT_NOTE} {reason}" if kind is ReturnKind.REPLACEMENT else reason
        lines = [{"fulfillmentLineItemId": line_id, "quantity": quantity, "returnReason": _return_reason(reason),
                  "customerNote": note[:300]}
                 for item_id in item_ids for line_id, quantity in returnable[item_id] if quantity > 0]
        data = await self._graphql(RETURN_REQUEST_MUTATION, {
            "input": {"orderId": f"gid://shopify/Order/{order.id}", "returnLineItems": lines}})
        errors = sequence(dig(data, "returnRequest.userErrors", []), "user errors")
        if errors:
            log.warning("shopify refused a return request: %s", [text(dig(e, "code")) for e in errors])
            raise OrderSystemRejected(f"{self.name}: return refused", text(dig(errors[0], "code")).lower())
        return self._return(dig(data, "returnRequest.return"))

    async def find_return(self, case_id: str) -> Optional[ReturnCase]:
        match = _CASE_ID.match(case_id.strip())
        if not match:
            return None
        data = await self._graphql(RETURN_QUERY, {"id": f"gid://shopify/Return/{match.group(1)}"})
        return None if data.get("return") is None else self._return(data["return"])

    def _return(self, raw: Any) -> ReturnCase:
        raw = mapping(raw, "return")
        lines = [mapping(dig(edge, "node"), "return line") for edge in
                 sequence(dig(raw, "returnLineItems.edges", []), "return lines")]
        note = next((text(line.get("customerNote")) for line in lines if line.get("customerNote")), "")
        kind = ReturnKind.REPLACEMENT if note.startswith(REPLACEMENT_NOTE) else ReturnKind.REFUND
        status = text(raw.get("status"))
        closed = "replaced" if kind is ReturnKind.REPLACEMENT else "refunded"
        order_name = text(dig(raw, "order.name"))
        return ReturnCase(
            id=f"R-{_numeric_id(text(raw.get('id')))}",
            order_number=order_name[len(self.prefix):] if order_name.startswith(self.prefix) else order_name,
            item_ids=tuple(dict.fromkeys(_numeric_id(text(dig(line, "fulfillmentLineItem.lineItem.id")))
                                         for line in lines)),
            reason=note.removeprefix(REPLACEMENT_NOTE).strip() or text(dig(lines, "0.returnReason")).lower(),
            kind=kind, state=_RETURN_STATES.get(status, closed if status == "CLOSED" else "requested"))

    async def _graphql(self, query: str, variables: dict) -> dict:
        idempotent = not query.lstrip().startswith("mutation")
        response = await self.client.post(f"{self.api}/graphql.json", {"query": query, "variables": variables},
                                          idempotent=idempotent)
        body = mapping(response.data if response else None, "GraphQL answer")
        codes = {text(dig(error, "extensions.code")) for error in sequence(body.get("errors") or [], "errors")}
        if "THROTTLED" in codes:
            raise OrderSystemUnavailable(f"{self.name}: throttled")
        if "ACCESS_DENIED" in codes:
            raise OrderSystemAuthError(f"{self.name}: access denied")
        if codes or not isinstance(body.get("data"), dict):
            raise OrderSystemBadResponse(f"{self.name}: GraphQL errors {sorted(codes)}")
        return body["data"]

    async def load_products(self) -> list[Product]:
        raw_products: list[dict] = []
        url: Optional[str] = f"{self.api}/products.json"
        params: Optional[dict[str, str]] = {"limit": str(self.page_size)}
        for _ in range(MAX_PAGES):
            if url is None:
                break
            response = await self.client.get(url, params)
            page = mapping(response.data if response else None, "products answer")
            raw_products += [mapping(p, "product") for p in sequence(page.get("products"), "products")]
            url, params = (next_link(response.headers) if response else None), None
        translated = await self._option_translations()
        limit = asyncio.Semaphore(4)  # Shopify's REST bucket refills at two calls a second
        catalogue: list[Product] = []
        for raw in raw_products:
            variants = [mapping(v, "variant") for v in sequence(raw.get("variants") or [], "variants")]
            sold_out = [v for v in variants if _variant_stock(v) <= 0]
            dates = await asyncio.gather(*(self._restock_date("variants", text(v.get("id")), limit) for v in sold_out))
            restock = {text(v.get("id")): found for v, found in zip(sold_out, dates)}
            if sold_out and not any(restock.values()):  # the date kept on the product, for all its variants
                product_date = await self._restock_date("products", text(raw.get("id")), limit)
                restock = {key: product_date for key in restock}
            product = Product(sku=text(raw.get("id")), name=text(raw.get("title")))
            catalogue += with_variants(product, [_variant(raw, v, restock.get(text(v.get("id"))), translated)
                                                 for v in variants])
        return catalogue

    async def _option_translations(self) -> dict[str, dict[str, str]]:
        """Option values ("Black", "M") in each of our languages the shop has translated them into (Translations
        API; needs the `read_translations` scope, without it the names stay as sold)."""
        found: dict[str, dict[str, str]] = {}
        for language in LANGUAGES:
            try:
                data = await self._graphql(OPTION_TRANSLATIONS_QUERY, {"locale": language})
            except (OrderSystemAuthError, OrderSystemBadResponse) as error:
                log.warning("shopify: option translations not readable (%s); sizes and colours as sold", error)
                return found
            for edge in sequence(dig(data, "translatableResources.edges", []), "translatable resources"):
                original = {text(dig(c, "key")): text(dig(c, "value"))
                            for c in sequence(dig(edge, "node.translatableContent", []), "content")}
                for translation in sequence(dig(edge, "node.translations", []), "translations"):
                    key, value = text(dig(translation, "key")), text(dig(translation, "value"))
                    if key == "name" and original.get("name") and value:
                        found.setdefault(original["name"], {})[language] = value
        return found

    async def _restock_date(self, owner: str, owner_id: str, limit: asyncio.Semaphore) -> Optional[date]:
        """The restock metafield of a variant or a product (`owner` "variants" or "products")."""
        async with limit:
            response = await self.client.get(f"{self.api}/{owner}/{owner_id}/metafields.json",
                                             {"namespace": self.metafield_namespace, "key": self.metafield_key})
        fields = sequence(mapping(response.data if response else {"metafields": []}, "metafields").get("metafields"),
                          "metafields")
        for metafield in fields:
            if dig(metafield, "namespace") == self.metafield_namespace and dig(metafield, "key") == self.metafield_key:
                try:
                    return day(dig(metafield, "value"))
                except OrderSystemBadResponse:
                    log.warning("shopify: %s %s has an unreadable restock date", owner[:-1], owner_id)
        return None


def _status(raw: dict, fulfillments: list[dict]) -> OrderStatus:
    try:
        fulfillment = shopify_status.from_rest(raw.get("fulfillment_status"))
    except shopify_status.UnknownFulfillmentStatus as error:
        log.warning("%s", error)
        raise OrderSystemBadResponse(str(error)) from error
    return shopify_status.order_status(fulfillment, [text(f.get("shipment_status")) for f in fulfillments],
                                       cancelled=bool(raw.get("cancelled_at")),
                                       refunded=raw.get("financial_status") == "refunded")


def _refunded(raw: dict) -> dict[str, int]:
    """Refunded quantity per line item id."""
    totals: dict[str, int] = {}
    for refund in sequence(raw.get("refunds") or [], "refunds"):
        for line in sequence(dig(refund, "refund_line_items", []), "refund lines"):
            item_id = text(dig(line, "line_item_id"))
            totals[item_id] = totals.get(item_id, 0) + integer(dig(line, "quantity"))
    return totals


def _variant_stock(variant: dict) -> int:
    """Units in stock; a variant whose stock Shopify does not track counts as one in stock."""
    return max(0, integer(variant.get("inventory_quantity"))) if variant.get("inventory_management") else 1


def _variant(product: dict, variant: dict, restock: Optional[date], translated: dict[str, dict[str, str]]
             ) -> Product:
    options = [text(variant.get(f"option{n}")) for n in (1, 2, 3)]
    label = variant_label(options) or variant_label([text(variant.get("title"))])
    names = {language: variant_label([translated.get(option, {}).get(language, option) for option in options])
             for language in LANGUAGES if any(language in translated.get(option, {}) for option in options)}
    title = text(product.get("title"))
    return Product(sku=text(variant.get("sku")) or text(variant.get("id")),
                   name=f"{title} ({label})" if label else title, in_stock=_variant_stock(variant),
                   restock_date=restock, variant=label, variant_names=names,
                   names={language: (f"{title} ({translated})",) for language, translated in names.items()})


def _numeric_id(gid: str) -> str:
    """`gid://shopify/LineItem/123` -> `123`."""
    return gid.rsplit("/", 1)[-1]


def _return_reason(reason: str) -> str:
    lowered = reason.lower()
    return next((code for word, code in _RETURN_REASONS if word in lowered), "OTHER")

