"""Every intent, response, business text and test set in every language, each gap named with file and line."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator, Sequence

import yaml

from bot import languages
from bot.checks import Problem, read_yaml
from bot.evaluation.gate import CONVERSATIONS
from bot.profile import REQUIRED_TEXT_KEYS
from bot.trainer.nlu_data import read_blocks

MIN_EXAMPLES_PER_LANGUAGE = 25
MIN_TEST_MESSAGES = 5
# Intents that customers never type: only a button payload or a connector sends them (a photo or voice message
# arrives as `media_received`), or a rule-based component sets them (`switch_language`, bot.nlu.language_request).
# They need no examples in any language.
EXEMPT_INTENTS = frozenset({"media_received", "message_deleted", "reaction_received", "switch_language"})
# Responses that are deliberately in one language for everyone (said when the customer's language is not ours).
LANGUAGE_NEUTRAL_RESPONSES = frozenset({"utter_unsupported_language"})
# What `bot add-language` writes where a text still has to be written in the new language.
PLACEHOLDER = "TODO("
PROFILE_KEYS = ("company", "timezone", "opening_hours", "texts")
PROFILE_SECTIONS = ("holidays", "shipping", "payment", "returns")


def language_name(code: str) -> str:
    """`Polish` for pl; a language not (yet) in bot/languages.py by its CLDR name."""
    known = languages.LANGUAGES.get(code)
    if known:
        return known.name
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name("en")
    except (UnknownLocaleError, ValueError):
        return code


def domain_intents(domain: dict[str, Any]) -> list[str]:
    """Intent names from domain.yml, whether listed plainly or with options (`- greet: {use_entities: []}`)."""
    return [next(iter(item)) if isinstance(item, dict) else str(item) for item in domain.get("intents") or []]


def _top_level(path: Path, key: str) -> tuple[int | None, yaml.Node | None]:
    """The line of a top-level key of a YAML file, and its value's node."""
    return _lines(yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)).get(key, (None, None))


def _lines(node: yaml.Node) -> dict[str, tuple[int, yaml.Node]]:
    """Keys of a YAML mapping node -> (1-based line, value node)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): (key.start_mark.line + 1, value) for key, value in node.value}


def key_line(path: Path, *keys: str) -> int | None:
    """The line of the deepest of `keys` (a path into nested mappings) that the file has."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, yaml.YAMLError):
        return None
    line = None
    for key in keys:
        found = _lines(node).get(key)
        if found is None:
            break
        line, node = found
    return line


_CANNED_KEY = re.compile(r"canned answer '([^']+)'(?: \((\w+)\))?(?:.* for (\w+)| has no (\w+) text)?")


def canned_lines(problems: list[Problem], path: Path) -> list[Problem]:
    """Canned-answer problems with the line of the answer (or of its text in the language concerned)."""
    located = []
    for problem in problems:
        match = _CANNED_KEY.search(problem.message)
        if problem.line is None and match:
            key, code = match.group(1), next((g for g in match.groups()[1:] if g), None)
            line = key_line(path, "answers", key, "texts", code) if code else key_line(path, "answers", key)
            problem = Problem(problem.file, problem.message, line, problem.warning)
        located.append(problem)
    return located


def intent_coverage(root: Path, codes: Sequence[str], minimum: int = MIN_EXAMPLES_PER_LANGUAGE) -> list[Problem]:
    """Each domain intent needs `minimum` examples in each language's file, in blocks tagged with that language."""
    intents = domain_intents(read_yaml(root / "domain.yml"))
    problems = []
    for code in codes:
        path = root / "data/nlu" / f"{code}.yml"
        shown = str(path.relative_to(root))
        if not path.exists():
            problems.append(Problem(shown, f"missing: {language_name(code)} needs its own NLU file "
                                           f"(`bot add-language {code}` writes one with every intent)"))
            continue
        blocks = read_blocks(path, code)
        counts: dict[str, int] = {}
        for block in blocks:
            counts[block.intent] = counts.get(block.intent, 0) + len(block.examples)
            if block.language != code:
                problems.append(Problem(shown, f"the block of intent '{block.intent}' needs "
                                               f"`metadata: {{language: {code}}}` under it", block.line))
            if block.intent not in intents:
                problems.append(Problem(shown, f"intent '{block.intent}' is not in domain.yml: fix the name or add "
                                               "it under `intents:` there", block.line))
        first_line = {block.intent: block.line for block in reversed(blocks)}
        for intent in intents:
            have = counts.get(intent, 0)
            if intent in EXEMPT_INTENTS or have >= minimum:
                continue
            where = first_line.get(intent)
            todo = (f"add {minimum - have} more" if have else f"write {minimum} under it" if where else
                    f"add a block `- intent: {intent}` with `metadata: {{language: {code}}}` and {minimum} examples")
            problems.append(Problem(shown, f"intent '{intent}' has {have} {language_name(code)} examples, needs "
                                           f"at least {minimum}: {todo}, written the way customers type", where))
    return problems


def test_coverage(root: Path, codes: Sequence[str], minimum: int = MIN_TEST_MESSAGES) -> list[Problem]:
    """Each language has a held-out test file with a few messages for every intent (for `bot eval`)."""
    intents = [i for i in domain_intents(read_yaml(root / "domain.yml")) if i not in EXEMPT_INTENTS]
    problems = []
    for code in codes:
        path = root / "tests/data" / f"{code}.yml"
        shown = str(path.relative_to(root))
        if not path.exists():
            problems.append(Problem(shown, f"missing: {language_name(code)} needs a held-out test file "
                                           "(messages never used for training) so `bot eval` can measure it"))
            continue
        blocks = read_blocks(path, code)
        counts = {intent: sum(len(b.examples) for b in blocks if b.intent == intent) for intent in intents}
        lines = {block.intent: block.line for block in reversed(blocks)}
        for intent in intents:
            if counts[intent] < minimum:
                problems.append(Problem(shown, f"intent '{intent}' has {counts[intent]} {language_name(code)} test "
                                               f"messages, needs at least {minimum} (new ones, not copies of training "
                                               "examples)", lines.get(intent)))
    return problems


def _condition_language(variation: dict[str, Any]) -> str | None:
    for condition in variation.get("condition") or []:
        if isinstance(condition, dict) and condition.get("name") == "language":
            return condition.get("value")
    return None


def response_coverage(root: Path, codes: Sequence[str]) -> list[Problem]:
    """Each response needs a written variation conditioned on every language."""
    path = root / "domain.yml"
    responses = read_yaml(path).get("responses") or {}
    lines = _lines(_top_level(path, "responses")[1])
    problems = []
    for name, variations in responses.items():
        if name in LANGUAGE_NEUTRAL_RESPONSES:
            continue
        line, node = lines.get(name, (None, None))
        covered = {_condition_language(variation): index for index, variation in enumerate(variations or [])}
        missing = [code for code in codes if code not in covered]
        if missing:
            names = ", ".join(language_name(code) for code in missing)
            problems.append(Problem("domain.yml", f"response '{name}' has no variation for {names}: add one with "
                                                  f"`condition: [{{type: slot, name: language, value: {missing[0]}}}]`",
                                    line))
        for code in codes:
            index = covered.get(code)
            if index is not None and PLACEHOLDER in str(variations[index]):
                at = node.value[index].start_mark.line + 1 if isinstance(node, yaml.SequenceNode) else line
                problems.append(Problem("domain.yml", f"response '{name}' still has the placeholder text for "
                                                      f"{language_name(code)}: write it in {language_name(code)}", at))
    return problems


def _placeholders(value: Any, where: str) -> Iterator[str]:
    """Dotted paths of the texts under `value` that still hold a placeholder."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, f"{where}[{index}]")
    elif PLACEHOLDER in str(value):
        yield where


def profile_coverage(root: Path, codes: Sequence[str]) -> list[Problem]:
    """business.yml needs every customer-facing text, and every holiday, shipping, payment and return item,
    in every language."""
    path = root / "business.yml"
    profile = read_yaml(path)
    texts = profile.get("texts") or {}
    texts_line, texts_node = _top_level(path, "texts")
    lines = _lines(texts_node)
    english = texts.get(languages.DEFAULT_LANGUAGE) or {}
    problems = [Problem("business.yml", f"`{key}` is missing: the answers need it") for key in PROFILE_KEYS
                if key not in profile]
    for code in codes:
        name = language_name(code)
        if code not in texts:
            problems.append(Problem("business.yml", f"no `texts: {code}:` block: {name} customers would get the "
                                                    "English answers (`bot add-language` writes a block to translate)",
                                    texts_line))
            continue
        line, node = lines[code]
        own, own_lines = texts[code] or {}, _lines(node)
        for key in REQUIRED_TEXT_KEYS:
            if key not in own:
                problems.append(Problem("business.yml", f"texts.{code} has no `{key}`: add it in {name} "
                                                        f"(see texts.{languages.DEFAULT_LANGUAGE}.{key})", line))
        for section in PROFILE_SECTIONS:
            for item in sorted(set(english.get(section) or {}) - set(own.get(section) or {})):
                problems.append(Problem("business.yml", f"texts.{code}.{section} has no `{item}`: add its "
                                                        f"{name} text", own_lines.get(section, (line,))[0]))
        for key, value in own.items():
            left = list(_placeholders(value, f"texts.{code}.{key}"))
            if left:
                what = left[0] if len(left) == 1 else f"texts.{code}.{key} ({len(left)} texts)"
                problems.append(Problem("business.yml", f"{what} still in English (marked {PLACEHOLDER}{code})): "
                                                        f"write it in {name}", own_lines.get(key, (line,))[0]))
    return problems


def language_list(root: Path, codes: Sequence[str]) -> list[Problem]:
    """The domain's `language` slot must accept every language, and each should have phone calling codes."""
    slot = ((read_yaml(root / "domain.yml").get("slots") or {}).get("language") or {})
    values = [str(value) for value in slot.get("values") or []]
    problems = [Problem("domain.yml", f"the `language` slot's values lack {code}: add it, or replies in "
                                      f"{language_name(code)} are never chosen")
                for code in codes if code not in values]
    for code in codes:
        known = languages.LANGUAGES.get(code)
        if known is not None and not known.calling_codes:
            problems.append(Problem("bot/languages.py", f"{known.name} has no phone calling codes: add them so that "
                                                        "a WhatsApp number hints the language", warning=True))
    return problems


def canned_placeholders(root: Path, codes: Sequence[str]) -> list[Problem]:
    """Agents' canned answers that `bot add-language` copied in English and nobody has written yet."""
    answers = read_yaml(root / "canned_answers.yml").get("answers") or {}
    return [Problem("canned_answers.yml", f"canned answer '{key}' still in English for {language_name(code)} "
                                          f"(marked {PLACEHOLDER}{code})): write it in {language_name(code)}",
                    key_line(root / "canned_answers.yml", "answers", key, "texts", code))
            for key, answer in answers.items() for code in codes
            if PLACEHOLDER in str(((answer or {}).get("texts") or {}).get(code, ""))]


def threshold_coverage(root: Path, codes: Sequence[str]) -> list[Problem]:
    """Each language should have minimums in eval_thresholds.yml, or the quality gate ignores it."""
    path = root / "eval_thresholds.yml"
    if not path.exists():
        return []
    thresholds = read_yaml(path)
    return [Problem("eval_thresholds.yml", f"no `{figure}` minimum for {language_name(code)}: add one once "
                                           "`bot eval` has measured it", warning=True)
            for figure, minimums in thresholds.items() if figure != CONVERSATIONS
            for code in codes if code not in (minimums or {})]
