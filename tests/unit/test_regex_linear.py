"""No customer message can stall the bot through a regular expression: every pattern that runs on what customers
write gets through 100 kB of text built to make a backtracking pattern slow (times: `make bench-regex`)."""
from __future__ import annotations

import re
import subprocess
import sys

from bot.regex_safety import adversarial_texts, customer_text_patterns, nlu_patterns

# Not a time budget: a quadratic pattern needs hours for these texts, a linear one well under a second. The limit
# only turns a hang into a failure that names the pattern.
HANG_GUARD_SECONDS = 300

_RUN_ALL = """
from bot.regex_safety import adversarial_texts, customer_text_patterns
texts = list(adversarial_texts(100_000))
for name, pattern in customer_text_patterns():
    print(name, flush=True)
    for _, text in texts:
        for _ in pattern.finditer(text):
            pass
print("done", flush=True)
"""


def test_every_pattern_finishes_on_100_kb_of_adversarial_text():
    try:
        result = subprocess.run([sys.executable, "-c", _RUN_ALL], capture_output=True, text=True,
                                timeout=HANG_GUARD_SECONDS)
    except subprocess.TimeoutExpired as stuck:
        last = (stuck.stdout or b"").decode().strip().splitlines()[-1:]
        raise AssertionError(f"pattern {last} did not finish on 100 kB of adversarial text") from None
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.split()
    assert lines[-1] == "done"


def test_the_patterns_checked_are_the_ones_rasa_runs_and_they_still_find_entities():
    names = {name for name, _ in nlu_patterns()}
    assert names == {"order_id", "email", "phone"}
    patterns = dict((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in nlu_patterns())
    assert patterns["email"].search("it's anna.k+shop@mail.example.pl, thanks").group() == "anna.k+shop@mail.example.pl"
    assert patterns["email"].search("mejl: Оливер oliver.bennett@example.com").group() == "oliver.bennett@example.com"
    assert len(customer_text_patterns()) >= len(names) + 5
    assert len(list(adversarial_texts(1000))) > 50 and all(len(text) == 1000 for _, text in adversarial_texts(1000))
