"""Orders: the `OrderSystem` interface, its adapters (demo, generic REST, Shopify, WooCommerce), the demo order
server, and the shop-independent rules (order numbers, customer verification, return eligibility, product matching).

`bot.orders.factory.order_system_from_env()` builds the adapter the environment asks for.
"""
