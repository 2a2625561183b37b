"""The regular expressions that run on what customers write, and texts built to make a backtracking one slow.

Python's `re` backtracks: a pattern such as `[\\w.]+@...` with no anchor rescans a long run of letters once per
starting position, so its time grows with the square of the text. Every pattern here must stay linear;
`tests/unit/test_regex_linear.py` runs each on every adversarial text, `make bench-regex` times them.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import yaml

from bot.settings import PROJECT_ROOT

REGEX_FILE = PROJECT_ROOT / "data/nlu/regex.yml"
# Runs that a greedy quantifier swallows, and what then makes the match fail at their end.
_SEEDS = ("a", "A", "1", "é", "a@", "@a", "a.", "a-", "a+", "1 ", "1-", "1.", "+1", "(1", "a@a", "a@a.", "a@a-",
          "A-1", "A-1-", "aA", "http://", "www.", "#1", " ")
_ENDINGS = ("", "!", "1", "@", " ")


def nlu_patterns(path: Path = REGEX_FILE) -> list[tuple[str, str]]:
    """(entity, pattern) for every regex in the NLU data, as Rasa's RegexEntityExtractor runs them."""
    patterns = []
    for entry in yaml.safe_load(path.read_text())["nlu"]:
        if "regex" in entry:
            for line in str(entry["examples"]).splitlines():
                if line.strip().startswith("- "):
                    patterns.append((entry["regex"], line.strip()[2:]))
    return patterns


def customer_text_patterns() -> list[tuple[str, re.Pattern]]:
    """Every pattern that runs on a customer's message: the NLU entity regexes (case-insensitive, as Rasa runs
    them), the order-number reader and the script detection."""
    from bot.orders import numbers
    from bot.transliterate import LATIN_ANYWAY, _KEEP_LATIN

    compiled = [(f"regex.yml {name}", re.compile(pattern, re.IGNORECASE)) for name, pattern in nlu_patterns()]
    compiled += [("numbers addresses", numbers._ADDRESSES), ("numbers digit runs", numbers._DIGIT_RUN),
                 ("numbers candidate", numbers._CANDIDATE), ("latin anyway", re.compile(LATIN_ANYWAY)),
                 ("keep latin", _KEEP_LATIN)]
    return compiled


def adversarial_texts(size: int = 100_000) -> Iterator[tuple[str, str]]:
    """(name, text) of `size` characters: each seed repeated, then an ending that makes the last match fail."""
    for seed in _SEEDS:
        body = seed * (size // len(seed) + 1)
        for ending in _ENDINGS:
            yield f"{seed!r}*{size // len(seed)}+{ending!r}", body[: size - len(ending)] + ending
