"""`rasa data validate`, with its findings in the trainer's words and its noise left out."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.checks import Problem
from bot.trainer.coverage import EXEMPT_INTENTS

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(r"UserWarning: (.*)")
_UNUSED_RESPONSE = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
# Rasa compares examples across all languages; the same word may rightly mean different things in two
# ("tak": Polish yes, Danish thanks). Our own check compares within each language.
_SAME_EXAMPLE = "was found labeled with multiple different intents"
# Intents that only buttons or connectors send have no examples on purpose (bot.trainer.coverage.EXEMPT_INTENTS).
_NO_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU training data")
_FAILURE = re.compile(r"^(\w+(Exception|Error)): (.*)")


def _used_in_code(root: Path, name: str) -> bool:
    """A response that an action or the bot's own code sends is used, though no story names it."""
    return any(name in path.read_text(encoding="utf-8") for folder in ("actions", "bot")
               for path in (root / folder).rglob("*.py"))


def translate(output: str, root: Path, failed: bool) -> list[Problem]:
    """Rasa's printed warnings and failures as Problems; warnings become errors when Rasa failed."""
    problems = []
    for line in _ANSI.sub("", output).splitlines():
        warning = _WARNING.search(line)
        failure = _FAILURE.match(line.strip())
        if warning:
            text = warning.group(1).strip()
            unused, exempt = _UNUSED_RESPONSE.search(text), _NO_EXAMPLES.search(text)
            if _SAME_EXAMPLE in text or (unused and _used_in_code(root, unused.group(1))) or (
                    exempt and exempt.group(1) in EXEMPT_INTENTS):
                continue
            problems.append(Problem("rasa data validate", text, warning=not failed))
        elif failure:
            problems.append(Problem("rasa data validate", f"{failure.group(1)}: {failure.group(3)}"))
    if failed and not any(not p.warning for p in problems):
        problems.append(Problem("rasa data validate", "Rasa rejected the data (see its output above)"))
    return problems


def rasa_problems(root: Path) -> list[Problem]:
    rasa = str(Path(sys.executable).parent / "rasa")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [rasa, "data", "validate", "--quiet", "--data", "data", "--domain", "domain.yml", "--config",
               "config.yml"]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    problems = translate(result.stdout + "\n" + result.stderr, root, failed=result.returncode != 0)
    if result.returncode != 0 and len(problems) == 1:
        print(result.stdout[-3000:] + result.stderr[-3000:], file=sys.stderr)
    return problems
