"""Reading order-system JSON defensively: anything of the wrong shape becomes `OrderSystemBadResponse`."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional

from bot.orders.system import OrderSystemBadResponse


def dig(data: Any, path: str, default: Any = None) -> Any:
    """The value at a dotted path (`customer.email`, `items.0.id`); `default` when any step is missing."""
    if not path:
        return data
    for step in path.split("."):
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and step.isdigit() and int(step) < len(data):
            data = data[int(step)]
        else:
            return default
        if data is None:
            return default
    return data


def mapping(value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise OrderSystemBadResponse(f"{what}: expected an object, got {type(value).__name__}")
    return value


def sequence(value: Any, what: str) -> list:
    if not isinstance(value, list):
        raise OrderSystemBadResponse(f"{what}: expected a list, got {type(value).__name__}")
    return value


def text(value: Any) -> str:
    """A string field; None is empty, numbers become their decimal form (ids are often numbers)."""
    if value is None:
        return ""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise OrderSystemBadResponse(f"expected text, got {type(value).__name__}")


def integer(value: Any, default: int = 0) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise OrderSystemBadResponse("expected a number, got a boolean")
    try:
        return int(float(value)) if isinstance(value, (str, float)) else int(value)
    except (TypeError, ValueError) as error:
        raise OrderSystemBadResponse(f"expected a number, got {type(value).__name__}") from error


def flag(value: Any) -> bool:
    """A yes/no field as shops write it: true, 1, "yes", "true", "1"."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "on")
    return bool(value)


def moment(value: Any) -> Optional[datetime]:
    """An ISO 8601 time or a Unix timestamp, always time-zone aware (UTC when the source gives no zone)."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, timezone.utc)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError, OSError) as error:
        raise OrderSystemBadResponse("unreadable date-time") from error
    raise OrderSystemBadResponse(f"expected a date-time, got {type(value).__name__}")


def day(value: Any) -> Optional[date]:
    """A calendar date from `2025-04-01` or a full date-time."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError as error:
            raise OrderSystemBadResponse("unreadable date") from error
    parsed = moment(value)
    return parsed.date() if parsed else None
