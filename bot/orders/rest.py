"""`RestOrderSystem`: any shop's own JSON API, described by a YAML file (see `rest_example.yml`).

The file gives URL templates (`{base}`, `{number}`, `{case_id}`), headers (`{api_key}`), where the order,
return and product objects are in an answer, and a dotted path for each of our fields (`customer.email`,
`lines.0.qty`; `!final_sale` negates a yes/no field), with value maps for statuses, return kinds and states.
An order URL may answer with one object or with a list (a search); then the entry with the number asked for
is taken. Products may be paginated by page number (next page in the body, a total-pages header, or a short
last page) or by `Link: <...>; rel="next"` headers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

import yaml

from bot.orders.adapter import HttpOrderSystem
from bot.orders.http import JsonClient, JsonResponse, RetryPolicy, next_link
from bot.orders.model import Order, OrderItem, OrderStatus, Product, ReturnCase, ReturnKind
from bot.orders.parse import day, dig, flag, integer, mapping, moment, sequence, text
from bot.orders.system import OrderSystemBadResponse, OrderSystemRejected

MAX_PAGES = 100
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_URLS = ("order", "create_return", "find_return", "products")
DEFAULT_RETURN_REQUEST = {"order_number": "{order_number}", "item_ids": "{item_ids}", "reason": "{reason}",
                          "kind": "{kind}"}


@dataclass(frozen=True)
class Section:
    """Where objects of one kind are in an answer, and where each of our fields is in such an object."""
    path: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, data: Any, name: str, default: Any = None) -> Any:
        spec = self.fields.get(name, name)
        if spec.startswith("!"):
            value = dig(data, spec[1:])
            return default if value is None else not flag(value)
        return dig(data, spec, default)


@dataclass(frozen=True)
class RestConfig:
    urls: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)
    order: Section = Section()
    items: Section = Section("items")
    status_map: dict[str, str] = field(default_factory=dict)  # the shop's status -> ours
    return_request: Any = field(default_factory=lambda: dict(DEFAULT_RETURN_REQUEST))  # the body; see `_fill`
    returns: Section = Section()
    kind_map: dict[str, str] = field(default_factory=dict)  # ours -> the shop's
    state_map: dict[str, str] = field(default_factory=dict)  # the shop's -> ours
    products: Section = Section("products")
    pagination: dict[str, Any] = field(default_factory=lambda: {"style": "none"})

    @classmethod
    def load(cls, path: str | Path) -> "RestConfig":
        return cls.from_dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})

    @classmethod
    def from_dict(cls, data: dict) -> "RestConfig":
        urls = data.get("urls") or {}
        missing = [name for name in _URLS if not urls.get(name)]
        if missing:
            raise ValueError(f"REST order-system config: urls.{', urls.'.join(missing)} missing")
        order, returns, products = (data.get(name) or {} for name in ("order", "returns", "products"))
        return cls(
            urls=dict(urls), headers=dict(data.get("headers") or {}),
            order=Section(order.get("path", ""), dict(order.get("fields") or {})),
            items=Section(order.get("items", "items"), dict(order.get("item_fields") or {})),
            status_map={str(k): str(v) for k, v in (order.get("status_map") or {}).items()},
            return_request=returns.get("request", dict(DEFAULT_RETURN_REQUEST)),
            returns=Section(returns.get("path", ""), dict(returns.get("fields") or {})),
            kind_map=dict(returns.get("kind_map") or {}), state_map=dict(returns.get("state_map") or {}),
            products=Section(products.get("path", "products"), dict(products.get("fields") or {})),
            pagination=dict(products.get("pagination") or {"style": "none"}))


class RestOrderSystem(HttpOrderSystem):
    name = "rest order system"

    def __init__(self, config: RestConfig, base_url: str, api_key: str = "", return_window_days: int = 30,
                 policy: RetryPolicy = RetryPolicy(), catalogue_ttl: float = 60.0) -> None:
        headers = {name: _fill(value, {"api_key": api_key}) for name, value in config.headers.items()}
        super().__init__(JsonClient(self.name, headers, policy=policy), return_window_days, catalogue_ttl)
        self.config = config
        self.base_url = base_url.rstrip("/")

    def _url(self, name: str, **values: str) -> str:
        quoted = {key: quote(value, safe="") for key, value in values.items()}
        return _fill(self.config.urls[name], {"base": self.base_url, **quoted})

    async def find_order(self, number: str) -> Optional[Order]:
        response = await self.client.get(self._url("order", number=number))
        if response is None:
            return None
        found = dig(response.data, self.config.order.path)
        candidates = [mapping(c, "order") for c in (found if isinstance(found, list) else [mapping(found, "order")])]
        numbers = [text(self.config.order.get(candidate, "number")) for candidate in candidates]
        if not all(numbers):
            raise OrderSystemBadResponse("an order without a number")
        same = [c for c, found_number in zip(candidates, numbers) if found_number.casefold() == number.casefold()]
        return self._order(same[0]) if same else None

    def _order(self, data: Any) -> Order:
        section, data = self.config.order, mapping(data, "order")
        number, raw_status = text(section.get(data, "number")), text(section.get(data, "status"))
        status = self.config.status_map.get(raw_status, raw_status)
        if not number or status not in {s.value for s in OrderStatus}:
            raise OrderSystemBadResponse("order without a number or with an unmapped status")
        items = sequence(dig(data, self.config.items.path, []), "order items")
        return Order(
            number=number, id=text(section.get(data, "id")), status=OrderStatus(status),
            customer_email=text(section.get(data, "customer_email")),
            customer_phone=text(section.get(data, "customer_phone")),
            customer_name=text(section.get(data, "customer_name")), country=text(section.get(data, "country")),
            placed_at=moment(section.get(data, "placed_at")), delivered_at=moment(section.get(data, "delivered_at")),
            items=tuple(self._item(item) for item in items), carrier=text(section.get(data, "carrier")),
            tracking_number=text(section.get(data, "tracking_number")),
            tracking_url=text(section.get(data, "tracking_url")),
            expected_delivery=day(section.get(data, "expected_delivery")))

    def _item(self, data: Any) -> OrderItem:
        section, data = self.config.items, mapping(data, "order item")
        return OrderItem(id=text(section.get(data, "id")), name=text(section.get(data, "name")),
                         quantity=integer(section.get(data, "quantity"), 1), sku=text(section.get(data, "sku")),
                         returnable=flag(section.get(data, "returnable", True)),
                         returned_quantity=integer(section.get(data, "returned_quantity")))

    async def create_return(self, order: Order, item_ids: list[str], reason: str,
                            kind: ReturnKind = ReturnKind.REFUND) -> ReturnCase:
        values = {"order_number": order.number, "order_id": order.id, "reason": reason,
                  "kind": self.config.kind_map.get(kind.value, kind.value), "item_ids": list(item_ids)}
        response = await self.client.post(self._url("create_return"), _fill(self.config.return_request, values))
        if response is None:
            raise OrderSystemRejected(f"{self.name}: no such order", "not_found")
        return self._return(dig(response.data, self.config.returns.path))

    async def find_return(self, case_id: str) -> Optional[ReturnCase]:
        response = await self.client.get(self._url("find_return", case_id=case_id.strip()))
        return None if response is None else self._return(dig(response.data, self.config.returns.path))

    def _return(self, data: Any) -> ReturnCase:
        section, data = self.config.returns, mapping(data, "return case")
        theirs_to_ours = {theirs: ours for ours, theirs in self.config.kind_map.items()}
        kind = theirs_to_ours.get(text(section.get(data, "kind")), text(section.get(data, "kind")) or "refund")
        state = text(section.get(data, "state"))
        case_id = text(section.get(data, "id"))
        if not case_id or kind not in {k.value for k in ReturnKind}:
            raise OrderSystemBadResponse("return case without an id or with an unmapped kind")
        item_ids = sequence(section.get(data, "item_ids", []), "return items")
        return ReturnCase(id=case_id, order_number=text(section.get(data, "order_number")),
                          item_ids=tuple(text(i) for i in item_ids), reason=text(section.get(data, "reason")),
                          kind=ReturnKind(kind), state=self.config.state_map.get(state, state) or "requested",
                          label_url=text(section.get(data, "label_url")),
                          created_at=moment(section.get(data, "created_at")))

    async def load_products(self) -> list[Product]:
        pages = self.config.pagination
        style, size = pages.get("style", "none"), int(pages.get("size", 50))
        url: Optional[str] = self._url("products")
        params: Optional[dict[str, str]] = None  # after the first page, link URLs carry their own
        if style == "page":
            params = {pages.get("page_param", "page"): "1", pages.get("size_param", "per_page"): str(size)}
        elif style == "link" and pages.get("size_param"):
            params = {pages["size_param"]: str(size)}
        products: list[Product] = []
        page = 1
        while url is not None and page <= MAX_PAGES:
            response = await self.client.get(url, params)
            if response is None:
                break
            found = sequence(dig(response.data, self.config.products.path), "products")
            products += [self._product(item) for item in found]
            url, params = self._next_page(response, page, len(found), url, params)
            page += 1
        return products

    def _next_page(self, response: JsonResponse, page: int, count: int, url: str,
                   params: Optional[dict[str, str]]) -> tuple[Optional[str], Optional[dict[str, str]]]:
        pages = self.config.pagination
        if pages.get("style") == "link":
            return next_link(response.headers), None
        if pages.get("style") != "page" or params is None:
            return None, None
        if pages.get("next_page"):
            more = bool(dig(response.data, pages["next_page"]))
        elif pages.get("total_pages_header"):
            more = page < integer(response.headers.get(pages["total_pages_header"]), 1)
        else:
            more = count >= int(pages.get("size", 50))
        return (url, {**params, pages.get("page_param", "page"): str(page + 1)}) if more else (None, None)

    def _product(self, data: Any) -> Product:
        section, data = self.config.products, mapping(data, "product")
        names = mapping(section.get(data, "names", {}), "product names")
        return Product(
            sku=text(section.get(data, "sku")), name=text(section.get(data, "name")),
            in_stock=integer(section.get(data, "in_stock")), restock_date=day(section.get(data, "restock_date")),
            names={lang: tuple(text(n) for n in (values if isinstance(values, list) else [values]))
                   for lang, values in names.items()})


def _fill(template: Any, values: dict[str, Any]) -> Any:
    """`template` with `{name}` placeholders replaced; a string that is only `{item_ids}` becomes the list itself."""
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(value, values) for value in template]
    if not isinstance(template, str):
        return template
    whole = _PLACEHOLDER.fullmatch(template)
    if whole and whole.group(1) in values and not isinstance(values[whole.group(1)], str):
        return values[whole.group(1)]
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)
