"""How long a customer will wait for a person: from their place in the queue and the agents online."""
from __future__ import annotations

import math
from typing import Optional

DEFAULT_HANDLING_MINUTES = 8.0


def expected_wait_minutes(position: int, agents_online: int, handling_minutes: Optional[float],
                          target_minutes: int) -> int:
    """Whole minutes, at least 1.

    `position` counts this ticket (1 = first in line). With agents online, each takes a ticket every
    `handling_minutes` (the recent median, or a default). With nobody online during opening hours, the
    promise is the first-response target from the business profile.
    """
    if agents_online <= 0:
        return max(1, target_minutes)
    per_ticket = handling_minutes if handling_minutes and handling_minutes > 0 else DEFAULT_HANDLING_MINUTES
    rounds = math.ceil(max(1, position) / agents_online)
    # The first round starts when an agent becomes free: on average half a handling time away.
    minutes = (rounds - 0.5) * per_ticket
    return max(1, min(math.ceil(minutes), max(1, target_minutes) * 3))
