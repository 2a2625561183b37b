"""Stopping a service stops its worker processes too (Rasa and the action server run several Sanic workers)."""
from __future__ import annotations

import os
import subprocess
import time

from bot.services import Service


def test_stopping_a_service_leaves_no_worker_behind(tmp_path):
    pids = tmp_path / "pids"
    # a main process that ignores SIGTERM's effect on its children, like a server whose workers outlive it
    process = subprocess.Popen(["bash", "-c", f"sleep 300 & echo $! > {pids}; sleep 300 & echo $! >> {pids}; wait"],
                               start_new_session=True)
    while not pids.exists() or len(pids.read_text().split()) < 2:
        time.sleep(0.05)
    workers = [int(pid) for pid in pids.read_text().split()]
    Service("server", process).stop(timeout=5)
    time.sleep(0.2)
    for pid in workers:
        try:
            os.kill(pid, 0)
            alive = not open(f"/proc/{pid}/stat").read().split()[2] == "Z"
        except ProcessLookupError:
            alive = False
        assert not alive, f"worker {pid} outlived its service"
