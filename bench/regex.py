"""Time of every pattern that runs on customer text, on its worst adversarial text, against the patterns before
they were made linear (the baseline), side by side: `make bench-regex`.

A linear pattern takes about ten times as long on 100 kB as on 10 kB; a quadratic one a hundred times as long
(the baseline's 100 kB column is extrapolated from 20 kB when that already took over a second). Then the trained
model's whole NLU pipeline parses long messages, beside the times issue 12 measured through the REST channel before
(`--no-pipeline` skips it).
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from bot.regex_safety import adversarial_texts, customer_text_patterns

# The patterns as they were before (data/nlu/regex.yml, bot/orders/numbers.py, bot/transliterate.py).
BASELINE = {
    "regex.yml email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE),
    "numbers addresses": re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE),
    "numbers digit runs": re.compile(r"\+?\(?\d+(?:[ .\-/()]{1,2}\d+)+"),
    "latin anyway": re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\b[A-Za-z]{1,3}-\d[\d-]*\b"),
    "keep latin": re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\b[A-Za-z]{1,3}-\d[\d-]*\b|\{[^}]*\}"
                             r"|\b\w*[qwxyQWXY]\w*\b|\b[A-Za-z]+[A-Z][A-Za-z]*\b|\b[A-Z]{2,}\b|\b\w*\d\w*\b"),
}
SIZES = (10_000, 20_000, 100_000)
# Issue 12, measured before through Rasa's REST channel (the whole request) on the old patterns: size -> seconds.
PIPELINE_BEFORE = {5_000: 0.6, 50_000: 8.6, 100_000: 32.0}
SLOW = 1.0


def seconds(pattern: re.Pattern, text: str) -> float:
    start = time.perf_counter()
    for _ in pattern.finditer(text):
        pass
    return time.perf_counter() - start


def worst(pattern: re.Pattern, size: int) -> tuple[float, str]:
    return max((seconds(pattern, text), name) for name, text in adversarial_texts(size))


def row(name: str, pattern: re.Pattern) -> str:
    cells, previous, worst_text = [], None, ""
    for size in SIZES:
        if previous is not None and previous > SLOW:
            estimate = previous * (size / SIZES[SIZES.index(size) - 1]) ** 2
            cells.append(f"~{estimate:9.1f} s")
            previous = estimate
            continue
        previous, worst_text = worst(pattern, size)
        cells.append(f"{previous:10.4f} s")
    return f"  {name:22} " + " ".join(cells) + f"   worst: {worst_text[:28]}"


def pipeline() -> None:
    """The trained model's NLU graph on long messages (words, one long digit run, one long letter run)."""
    from rasa.core.channels.channel import UserMessage

    from bot.evaluation.scoring import NluParser
    from bot.settings import Settings

    parser = NluParser(Path(Settings().model))
    try:
        parser.parse([UserMessage("hello")])  # warm up
        print(f"\nWhole NLU pipeline ({Settings().model.name}), seconds per message:")
        print(f"  {'size':>8} {'before (REST)':>14} {'words':>8} {'digits':>8} {'letters':>8}")
        for size, before in PIPELINE_BEFORE.items():
            texts = (("where is my order " * (size // 18 + 1))[:size], "1" * size, "a" * size)
            cells = []
            for text in texts:
                start = time.perf_counter()
                parser.parse([UserMessage(text)])
                cells.append(f"{time.perf_counter() - start:8.2f}")
            print(f"  {size // 1000:>5} kB {before:>14.1f} " + " ".join(cells), flush=True)
    finally:
        parser.close()


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--no-pipeline", action="store_true", help="only the patterns, no model")
    options = arguments.parse_args()
    header = f"  {'pattern':22} " + " ".join(f"{size // 1000:>9} kB" for size in SIZES)
    print("Baseline (before):\n" + header)
    for name, pattern in BASELINE.items():
        print(row(name, pattern), flush=True)
    print("\nNow:\n" + header)
    for name, pattern in customer_text_patterns():
        print(row(name, pattern), flush=True)
    if not options.no_pipeline:
        pipeline()


if __name__ == "__main__":
    main()
