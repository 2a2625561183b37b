"""Reading a request body that must be a JSON object, so that no malformed or hostile body becomes a 500.

Every web entry point (Meta webhooks, web chat) calls `parse_object(raw_bytes)` and answers 400 with the
`BadBody` message: not UTF-8, not JSON, not an object, or nested deeper than any real payload
(Python's parser raises RecursionError, not ValueError, on a body nested 10,000 deep).
"""
from __future__ import annotations

import json
from typing import Any

# WhatsApp's deepest real payload (entry -> changes -> value -> messages -> interactive -> list_reply) is 8 deep.
MAX_DEPTH = 32


class BadBody(ValueError):
    """The body is not an acceptable JSON object; the message says why, for a 400 answer."""


def depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed value (iterative: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_object(raw: bytes | str, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """The body as a dict, or BadBody."""
    try:
        payload = json.loads(raw)
    except RecursionError:
        raise BadBody(f"the JSON body is nested too deeply (at most {max_depth} levels)") from None
    except (ValueError, TypeError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadBody("the body is not JSON") from None
    if not isinstance(payload, dict):
        raise BadBody("the body must be a JSON object")
    if depth(payload) > max_depth:
        raise BadBody(f"the JSON body is nested too deeply (at most {max_depth} levels)")
    return payload
