"""`bot add-language xx`: every file a new language needs, with the English to translate marked `TODO(xx)`;
`bot validate` then lists what is left to write."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot import languages
from bot.checks import read_yaml
from bot.trainer.coverage import EXEMPT_INTENTS, PLACEHOLDER, domain_intents, language_name
from bot.trainer.nlu_data import read_blocks

GUIDE_EXAMPLES = 8
_CONDITION = re.compile(r"^(\s*- condition: \[\{type: slot, name: language, value: )en(\}\]\s*)$")
_QUOTED = re.compile(r'((?:text|title): ")(?=[^"]*[^\W\d_])')
_CANNED_ENGLISH = re.compile(r'^(\s+)en: "(.*)"\s*$')
_SLOT_VALUES = re.compile(r"^(\s*values: \[[^\]]*)\]", re.MULTILINE)


class LanguageError(ValueError):
    """The language cannot be added (unknown code, or already there)."""


def todo(code: str) -> str:
    return f"{PLACEHOLDER}{code}): "


def _locale(code: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise LanguageError(f"'{code}' is not a language code Babel knows (use ISO 639-1, e.g. de, sv, fi)")


def main_country(code: str) -> tuple[str, str]:
    """The language's script and main market from CLDR's likely subtags (de -> Latn, DE)."""
    from babel.core import get_global

    _, script, country = get_global("likely_subtags").get(code, f"{code}_Latn_").split("_")[:3]
    return script, country


def calling_codes(code: str) -> tuple[str, ...]:
    """Phone calling codes of the countries where the language is official (CLDR), main market first, from
    phonenumbers' tables: a WhatsApp number with one of them hints the language."""
    import phonenumbers
    from babel.core import get_global

    _, main = main_country(code)
    official = sorted(territory for territory, spoken in get_global("territory_languages").items()
                      if (spoken.get(code) or {}).get("official_status") == "official")
    found: list[str] = []
    for territory in [main] + [t for t in official if t != main]:
        number = phonenumbers.country_code_for_region(territory)
        if number and str(number) not in found:
            found.append(str(number))
    return tuple(found)


def calendar_texts(code: str) -> dict[str, Any]:
    """Weekday names, abbreviations and the words customers type for them, from CLDR."""
    locale = _locale(code)
    wide = [locale.days["format"]["wide"][day] for day in range(7)]
    short = [locale.days["format"]["abbreviated"][day].rstrip(".") for day in range(7)]
    alone = [locale.days["stand-alone"]["wide"][day] for day in range(7)]
    keywords = [list(dict.fromkeys(word.lower() for word in (wide[day], alone[day], short[day])))
                for day in range(7)]
    return {"weekdays": wide, "weekdays_short": short, "weekday_keywords": keywords}


def cldr_summary(code: str) -> str:
    """What CLDR gives the bot at run time for this language (numbers, plural forms), for the trainer to see."""
    from babel.numbers import format_decimal

    locale = _locale(code)
    _, country = main_country(code)
    forms = ", ".join(sorted(locale.plural_form.tags) + ["other"])
    return (f"From CLDR: weekday names, numbers as {format_decimal(1234.5, locale=f'{code}_{country}')}, "
            f"plural forms {forms}; calling codes {', '.join('+' + c for c in calling_codes(code)) or 'none'} "
            "(phonenumbers).")


def language_entry(code: str) -> str:
    """A `Language(...)` line for bot/languages.py from CLDR (Babel): names, script, main market, weekday case,
    and calling codes from phonenumbers."""
    locale = _locale(code)
    script, country = main_country(code)
    english, native = locale.get_display_name("en"), locale.get_display_name()
    capitalised = locale.days["format"]["wide"][0][:1].isupper()
    found = calling_codes(code)
    codes = "(" + ", ".join(f'"{c}"' for c in found) + ("," if len(found) == 1 else "") + ")"
    return (f'        Language("{code}", "{english}", "{native[:1].upper() + native[1:]}", ("{script}",), {codes}, '
            f'("{code}_{country}",), "{country}", "{code}_{country}", {capitalised}),\n')


def _add_to_language_list(path: Path, entry: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("LANGUAGES:"))
    closing = next(i for i in range(start, len(lines)) if lines[i].rstrip() == "    )")
    lines.insert(closing, entry)
    path.write_text("".join(lines), encoding="utf-8")


def _nlu_file(intent_examples: dict[str, list[str]], code: str, with_guide: bool) -> str:
    name = language_name(code)
    kind = "training examples" if with_guide else "held-out test messages, never trained on"
    head = ['version: "3.1"', f"# {name}: {kind}. Each intent needs its own; see docs/intents.md for what each means.",
            "nlu:"]
    for intent, english in intent_examples.items():
        head += [f"- intent: {intent}", "  metadata:", f"    language: {code}"]
        if with_guide and english:
            head.append(f"  # in English: {' / '.join(english[:GUIDE_EXAMPLES])}")
        head.append("  examples: |")
    return "\n".join(head) + "\n"


def _domain_variations(text: str, code: str) -> str:
    """After each English variation, a copy for `code` with its texts and button titles marked TODO."""
    lines, out, index = text.splitlines(keepends=True), [], 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        match = _CONDITION.match(line)
        if not match:
            continue
        indent = len(line) - len(line.lstrip())
        block = [line]
        while index < len(lines) and (len(lines[index]) - len(lines[index].lstrip()) > indent) and lines[index].strip():
            block.append(lines[index])
            out.append(lines[index])
            index += 1
        out.append(_CONDITION.sub(rf"\g<1>{code}\g<2>", block[0]))
        out += [_QUOTED.sub(rf"\g<1>{todo(code)}", line) for line in block[1:]]
    result = "".join(out)
    return _SLOT_VALUES.sub(lambda m: f"{m.group(1)}, {code}]" if "en" in m.group(1) else m.group(0), result, count=1)


def _canned_texts(text: str, code: str) -> str:
    """After each answer's English text, the same text for `code`, marked TODO."""
    out = []
    for line in text.splitlines(keepends=True):
        out.append(line)
        match = _CANNED_ENGLISH.match(line)
        if match:
            out.append(f'{match.group(1)}{code}: "{todo(code)}{match.group(2)}"\n')
    return "".join(out)


def _marked(value: Any, code: str) -> Any:
    if isinstance(value, dict):
        return {key: _marked(item, code) for key, item in value.items()}
    if isinstance(value, list):
        return [_marked(item, code) for item in value]
    return f"{todo(code)}{value}" if isinstance(value, str) else value


def _profile_texts(path: Path, code: str) -> None:
    """A `texts: <code>:` block: weekdays from CLDR, the other English texts marked TODO, appended after the last
    language's."""
    english = read_yaml(path)["texts"][languages.DEFAULT_LANGUAGE]
    calendar = calendar_texts(code)
    texts = {key: calendar[key] if key in calendar else _marked(value, code) for key, value in english.items()}
    block = yaml.safe_dump({code: texts}, allow_unicode=True, sort_keys=False, width=200)
    indented = "".join(f"  {line}" if line.strip() else line for line in block.splitlines(keepends=True))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("texts:"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1].isalpha()), len(lines))
    if lines[end - 1] and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, indented)
    path.write_text("".join(lines), encoding="utf-8")


def add_language(root: Path, code: str) -> str:
    code = code.strip().lower()
    if code in languages.LANGUAGES:
        raise LanguageError(f"{code} is supported already")
    entry = language_entry(code)
    intents = [i for i in domain_intents(read_yaml(root / "domain.yml")) if i not in EXEMPT_INTENTS]
    english = {intent: [] for intent in intents}
    for block in read_blocks(root / "data/nlu" / f"{languages.DEFAULT_LANGUAGE}.yml"):
        english.setdefault(block.intent, []).extend(e.text for e in block.examples)
    english = {intent: english[intent] for intent in intents}
    written = []
    for folder, with_guide in (("data/nlu", True), ("tests/data", False)):
        path = root / folder / f"{code}.yml"
        if not path.exists():
            path.write_text(_nlu_file(english, code, with_guide), encoding="utf-8")
            written.append(str(path.relative_to(root)))
    domain = root / "domain.yml"
    domain.write_text(_domain_variations(domain.read_text(encoding="utf-8"), code), encoding="utf-8")
    _profile_texts(root / "business.yml", code)
    canned = root / "canned_answers.yml"
    canned.write_text(_canned_texts(canned.read_text(encoding="utf-8"), code), encoding="utf-8")
    _add_to_language_list(root / "bot/languages.py", entry)
    written += ["domain.yml (a variation per response, the language slot)", "business.yml (texts)",
                "canned_answers.yml", "bot/languages.py"]
    return (f"Added {language_name(code)} ({code}) to: {', '.join(written)}.\n{cldr_summary(code)}\n"
            f"Everything still in English is marked {todo(code).strip()}. Run `.venv/bin/bot validate` for the list "
            "of what is left to write.")
