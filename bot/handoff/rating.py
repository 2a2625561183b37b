"""The customer's 1-5 satisfaction rating, from a rating button (entity) or a typed answer ("4/5", "dałbym 5")."""
from __future__ import annotations

import re
from typing import Any, Optional

_DIGIT = re.compile(r"(?<![\d.,])([1-5])(?![\d.,]?\d)")


def rating_from(message: dict[str, Any]) -> Optional[int]:
    for entity in message.get("entities") or []:
        if entity.get("entity") == "rating":
            try:
                value = int(str(entity.get("value")).strip())
            except ValueError:
                continue
            if 1 <= value <= 5:
                return value
    match = _DIGIT.search(message.get("text") or "")
    return int(match.group(1)) if match else None
