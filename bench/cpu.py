"""Where the CPU of a load goes: seconds of CPU per process group (each service of `bot.services.Stack` runs in its
own, with its Sanic workers), of the bench process itself (load generator and fake Graph API) and of the whole
machine, read from /proc before and after each slice of a phase."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

TICKS = os.sysconf("SC_CLK_TCK")
BENCH = "load generator"
MACHINE = "machine"


def group_seconds() -> dict[int, float]:
    """CPU seconds (user + system) of every running process, summed per process group."""
    totals: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        group = int(fields[2])
        totals[group] = totals.get(group, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS
    return totals


def machine_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores, everything but idle and I/O wait)."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


def snapshot(groups: Mapping[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process group, of this process and of the machine."""
    by_group = group_seconds()
    times = os.times()
    seconds = {name: by_group.get(pgid, 0.0) for name, pgid in groups.items()}
    seconds[BENCH] = times.user + times.system
    seconds[MACHINE] = machine_seconds()
    return seconds


def spent(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}
