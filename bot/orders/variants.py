"""Products sold in several sizes or colours: one catalogue entry for the product (stock of all variants together,
the earliest restock date of its sold-out variants) followed by one entry per variant with its own stock and
restock date, and which variant a customer's question names.

A question that names no variant ("is the rain jacket in stock?") is answered for the product; one that names a
variant ("the rain jacket in M?") for that variant only, so a sold-out size never looks in stock.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional, Sequence

from bot.orders.matching import word_matches, words_of
from bot.orders.model import Product

LANGUAGES = ("en", "el", "pl", "sr", "hr", "nb", "da")


def with_variants(product: Product, variants: Sequence[Product]) -> list[Product]:
    """The product's own entry and its variants' entries (a single variant is the product itself)."""
    if len(variants) <= 1:
        only = variants[0] if variants else product
        return [replace(product, sku=only.sku or product.sku, in_stock=only.in_stock,
                        restock_date=only.restock_date or product.restock_date)]
    sold_out = [v.restock_date for v in variants if not v.available and v.restock_date]
    total = sum(max(0, v.in_stock) for v in variants)
    restock: Optional[date] = None if total > 0 else min(sold_out, default=product.restock_date)
    # The product is also found by a question that names one of its sizes or colours, in any language.
    names = {language: (*product.names.get(language, ()),
                        *(f"{product.name} {v.variant_in(language)}" for v in variants if v.variant))
             for language in LANGUAGES}
    main = replace(product, in_stock=total, restock_date=restock, names=names)
    return [main] + [replace(v, variant_of=main.sku) for v in variants]


def variant_label(options: Sequence[str]) -> str:
    """Options as the shop shows them: "M / Black"; Shopify's "Default Title" of a product without options is none."""
    shown = [option.strip() for option in options if option and option.strip()]
    return "" if shown in ([], ["Default Title"]) else " / ".join(shown)


def best_variant(query: str, variants: Sequence[Product]) -> Optional[Product]:
    """The variant whose every option the question names (in the shop's words or any translation), if just one
    has the most options named; None when the question names no variant."""
    asked = words_of(query)
    best: list[tuple[int, Product]] = []
    for variant in variants:
        labels = [variant.variant, *variant.variant_names.values()]
        named = 0
        for label in labels:
            options = [words_of(option) for option in label.split("/")]
            if options and all(words and all(word_matches(word, asked) for word in words) for words in options):
                named = max(named, sum(len(words) for words in options))
        if named:
            best.append((named, variant))
    best.sort(key=lambda pair: -pair[0])
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return best[0][1]
