"""Time of every pattern that runs on customer text, on its worst adversarial text, against the patterns before
they were made linear (the baseline), side by side: `make bench-regex`.

A linear pattern takes about ten times as long on 100 kB as on 10 kB; a quadratic one a hundred times as long
(the baseline's 100 kB column is extrapolated from 20 kB when that already took over a second).
"""
from __future__ import annotations

import re
import time

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


def main() -> None:
    header = f"  {'pattern':22} " + " ".join(f"{size // 1000:>9} kB" for size in SIZES)
    print("Baseline (before):\n" + header)
    for name, pattern in BASELINE.items():
        print(row(name, pattern), flush=True)
    print("\nNow:\n" + header)
    for name, pattern in customer_text_patterns():
        print(row(name, pattern), flush=True)


if __name__ == "__main__":
    main()
