"""`rasa data validate`, with its findings in the trainer's words and its noise left out."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.checks import Problem, read_yaml
from bot.trainer.coverage import EXEMPT_INTENTS

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(r"UserWarning: (.*)")
_UNUSED_RESPONSE = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
# Rasa compares examples across all languages; the same word may rightly mean different things in two
# ("tak": Polish yes, Danish thanks). Our own check compares within each language.
_SAME_EXAMPLE = "was found labeled with multiple different intents"
# Intents that only buttons or connectors send have no examples on purpose (bot.trainer.coverage.EXEMPT_INTENTS).
_NO_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU training data")
_BUILT_NAME = re.compile(r'f"(utter_\w+?)\{')
_FAILURE = re.compile(r"^(\w+(Exception|Error)): (.*)")


def _used_in_code(root: Path, name: str) -> bool:
    """A response that an action or the bot's own code sends is used, though no story names it: by its name, or
    by a name built from a prefix (`f"utter_return_{state}"`)."""
    for folder in ("actions", "bot"):
        for path in (root / folder).rglob("*.py"):
            code = path.read_text(encoding="utf-8")
            if name in code or any(name.startswith(prefix) for prefix in _BUILT_NAME.findall(code)):
                return True
    return False


def _asked_by_a_form(root: Path, name: str) -> bool:
    """`utter_ask_<slot>` is what a form says to fill that slot: Rasa's validator does not know it is used."""
    slots = read_yaml(root / "domain.yml").get("slots") or {}
    return name.startswith("utter_ask_") and name[len("utter_ask_"):] in slots


def _noise(warning: str, root: Path) -> bool:
    """Warnings that are not true of this project (see the patterns above)."""
    unused, exempt = _UNUSED_RESPONSE.search(warning), _NO_EXAMPLES.search(warning)
    if unused:
        return _used_in_code(root, unused.group(1)) or _asked_by_a_form(root, unused.group(1))
    return _SAME_EXAMPLE in warning or bool(exempt and exempt.group(1) in EXEMPT_INTENTS)


def translate(output: str, root: Path, failed: bool) -> list[Problem]:
    """Rasa's printed warnings and failures as Problems; warnings become errors when Rasa failed."""
    problems = []
    for line in _ANSI.sub("", output).splitlines():
        warning = _WARNING.search(line)
        failure = _FAILURE.match(line.strip())
        if warning:
            text = warning.group(1).strip()
            if not _noise(text, root):
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
