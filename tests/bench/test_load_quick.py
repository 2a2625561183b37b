"""`make bench-load --quick` end to end: both sides (our stack and bare `rasa run`) answer every message of every
phase, through the web chat and the WhatsApp webhook, except in a conversation the bot handed to a person (the
tracker shows the handoff; agents answer those), and the CPU each part spent is reported. Times are the
benchmark's business, not asserted here."""
from __future__ import annotations

import json
import subprocess
import sys

from bot.settings import PROJECT_ROOT


def test_the_quick_load_benchmark_answers_every_message_on_both_sides(tmp_path):
    figures = tmp_path / "load.json"
    run = subprocess.run([sys.executable, "-m", "bench.load", "--quick", "--json", str(figures)], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    rows = json.loads(figures.read_text())
    assert {row["load"].split(",")[0] for row in rows} == {"rest", "whatsapp"}
    for row in rows:
        for side in ("ours", "bare"):
            assert row[side]["sent"] > 0 and row[side]["unanswered"] == 0, (row["load"], side, row[side])
            assert row[side]["with_person"] <= max(2, row[side]["sent"] // 10), (row["load"], side)  # handoffs are rare
            assert len(row[side]["first"]) > 0, (row["load"], side)  # first messages of conversations measured
    assert "| rest, 20 customers, no pause | ours |" in run.stdout and "| | bare rasa |" in run.stdout
    # Where the CPU went: each side's Rasa, the shared parts and the whole machine, and the ceiling it implies.
    for row in rows:
        for side in ("ours", "bare"):
            spent = row[side]["cpu_seconds"]
            assert spent["Rasa"] > 0 and spent["machine"] >= spent["Rasa"], (row["load"], side, spent)
    assert "cores allow ours at most" in run.stdout
