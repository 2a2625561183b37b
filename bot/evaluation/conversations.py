"""Language figures beyond single intents: per-message identification scored the honest way (a message the
neighbour language writes word for word is right for either, `tests/data/either.yml`), unsupported languages kept
out of our non-English ones (`tests/data/unsupported/<code>.yml`, and the held-out sentences of
`tests/data/unsupported_heldout/<code>.yml` nobody tuned on), and whole conversations
(`tests/conversations/<code>.yml`): the reply language of every turn through the real NLU and the conversation's
language decision, and the facts stated (shipping prices for the country named, opening hours with holidays, eves
and the weekday in the customer's time, return windows) from the same business code the actions call.

None of these files is ever trained on.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from bot import conversation, languages
from bot.evaluation.metrics import Example
from bot.nlu.evidence import NEIGHBOUR
from bot.text import letter_count

ENGLISH = languages.DEFAULT_LANGUAGE


# ---- per-message identification, ambiguity-aware ------------------------------------------------------------
def load_either(root: Path) -> tuple[dict[str, set[str]], set[str]]:
    data = yaml.safe_load((root / "tests/data/either.yml").read_text(encoding="utf-8")) or {}
    return {code: set(texts) for code, texts in (data.get("either") or {}).items()}, set(data.get("any") or [])


def identified(example: Example, predicted: str, either: dict[str, set[str]], anywhere: set[str]) -> bool:
    """Right when the gold language, or a language whose native speaker could have written the message exactly so."""
    if predicted == example.language or letter_count(example.text) == 0 or example.text in anywhere:
        return True
    return example.text in either.get(example.language, set()) and predicted == NEIGHBOUR.get(example.language)


def _share(flags: list[bool]) -> Optional[float]:
    return sum(flags) / len(flags) if flags else None


def language_id_figures(detect: Callable[[str, Optional[str]], dict[str, Any]], examples: list[Example],
                        root: Path, hint_of: Callable[[str], Optional[str]]) -> dict[str, Any]:
    """Per language: identification without and with the channel's hint, overall and on messages of at most three
    words; and how many of the labelled shared messages the detector reported as fitting both."""
    either, anywhere = load_either(root)
    figures: dict[str, Any] = {}
    rows: dict[str, dict[str, list[bool]]] = {}
    for example in examples:
        alone = detect(example.text, None)
        hinted = detect(example.text, hint_of(example.language))
        row = rows.setdefault(example.language, {key: [] for key in
                                                 ("alone", "alone_short", "hint", "hint_short", "shared_reported")})
        for key, detection in (("alone", alone), ("hint", hinted)):
            right = identified(example, detection["code"], either, anywhere)
            row[key].append(right)
            if example.words <= 3:
                row[key + "_short"].append(right)
        if example.text in either.get(example.language, set()):
            row["shared_reported"].append(NEIGHBOUR[example.language] in (alone.get("candidates") or []))
    for code in list(languages.SUPPORTED) + ["all"]:
        selected = rows.get(code) if code != "all" else {
            key: [flag for row in rows.values() for flag in row[key]] for key in next(iter(rows.values()))}
        if not selected:
            continue
        figures[code] = {key: _share(flags) for key, flags in selected.items()}
        figures[code]["n"] = len(selected["alone"])
        figures[code]["n_short"] = len(selected["alone_short"])
        figures[code]["n_shared"] = len(selected["shared_reported"])
    return figures


# ---- unsupported languages ------------------------------------------------------------------------------------
UNSUPPORTED_SETS = {"unsupported": "tests/data/unsupported", "heldout": "tests/data/unsupported_heldout"}
# Languages mapped onto ours by a documented rule (README, "Language"): Bosnian is Croatian or Serbian by its words.
MAPPED = {"bs": ("hr", "sr")}


def load_unsupported(root: Path, folder: str) -> dict[str, tuple[list[str], dict[str, tuple[str, ...]]]]:
    """Per language, its messages and those of them a native speaker of one of ours writes exactly so (`shared`:
    message -> our languages that write it, right answers for it besides English)."""
    sets = {}
    for path in sorted((root / folder).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        shared = {text: tuple(codes) for text, codes in (data.get("shared") or {}).items()}
        unknown = set(shared) - set(data["messages"])
        if unknown:
            raise ValueError(f"{path}: shared messages not among its messages: {sorted(unknown)}")
        sets[data["language"]] = (list(data["messages"]), shared)
    return sets


def unsupported_figures(detect: Callable[[str, Optional[str]], dict[str, Any]], root: Path,
                        folder: str = UNSUPPORTED_SETS["unsupported"]) -> dict[str, Any]:
    """Per unsupported language, each message as a conversation's first: named right, kept out of our languages,
    and answered in English (never a supported non-English language). A language mapped by rule (Bosnian) is
    right when answered in one of the languages it maps to; its wrong answers are counted the same way."""
    figures: dict[str, Any] = {}
    for code, (messages, shared) in load_unsupported(root, folder).items():
        named = unsupported = english = right = 0
        allowed = MAPPED.get(code, (ENGLISH,))
        for text in messages:
            detected = detect(text, None)
            named += detected["code"] in (code, *MAPPED.get(code, ()))
            unsupported += detected.get("supported") is False
            events = [{"event": "user", "text": text, "parse_data": {"language": detected}}]
            reply = conversation.conversation_language(events, {}).reply
            english += reply in allowed
            right += reply in allowed + shared.get(text, ())
        figures[code] = {"n": len(messages), "named": named / len(messages), "unsupported": unsupported / len(messages),
                         "answered_in_english": english / len(messages), "shared": len(shared),
                         "answered_in_supported_non_english": len(messages) - right}
    return figures


# ---- conversations --------------------------------------------------------------------------------------------
@dataclass
class ConversationResult:
    language: str
    name: str
    turns: int = 0
    right_turns: int = 0
    facts: int = 0
    right_facts: int = 0
    out_of_neighbours: bool = True  # an unsupported conversation never answered in a supported non-English language
    misses: list[str] = field(default_factory=list)


def load_conversations(root: Path) -> list[dict[str, Any]]:
    conversations = []
    for path in sorted((root / "tests/conversations").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("conversations") or []:
            conversations.append({"file": path.name, "language": data["language"], **item})
    return conversations


# The moment the conversations are asked at, unless one says `now:`: Monday 21 December 2026, 10:00 UTC, so
# "on Christmas Eve" is Thursday 24 December and "today" a weekday, whatever day the evaluation runs.
EVALUATION_NOW = "2026-12-21T10:00:00+00:00"


def stated_fact(intent: str, text: str, language: str, metadata: dict[str, Any],
                remembered: Optional[str], now: str = EVALUATION_NOW) -> tuple[Optional[str], Optional[str]]:
    """What the bot states for a shipping, opening-hours or return-window question, from the business code the
    actions call (with the customer's time zone, as the action finds it), and the country to remember;
    (None, remembered) for other intents."""
    from datetime import datetime

    from bot import countries, faq, wording
    from bot.hours import BusinessHours
    from bot.profile import cached_profile

    profile = cached_profile()
    if intent == "ask_opening_hours":
        zone = wording.customer_zone(metadata, countries.channel_country(metadata), language)
        replies = BusinessHours(profile).answer(text, language, datetime.fromisoformat(now), zone)
        return " ".join(str(value) for _, values in replies for value in values.values()), remembered
    named = countries.named_country(text, language)
    if intent == "ask_shipping" or (named and remembered and intent in ("inform", "ask_shipping")):
        country = faq.shipping_country(language, named, remembered, countries.channel_country(metadata))
        locale = faq.price_locale(language, metadata.get("locale"))
        _, values = faq.shipping_answer(profile, language, country, locale)
        return " ".join(str(value) for value in values.values()), named or remembered
    if intent == "ask_return_policy":
        return " ".join(str(value) for value in faq.return_values(profile, language).values()), remembered
    return None, remembered


def run_conversations(parse: Callable[[list[tuple[str, dict[str, Any]]]], list[dict[str, Any]]],
                      root: Path) -> list[ConversationResult]:
    """Every conversation turn by turn: parsed by the model with the channel's metadata, the reply language from
    `bot.conversation.conversation_language` over the events so far, facts from the business code."""
    conversations = load_conversations(root)
    messages = [(turn["text"], item.get("metadata") or {}) for item in conversations for turn in item["turns"]]
    parses = iter(parse(messages))
    results = []
    for item in conversations:
        result = ConversationResult(item["language"], item["name"])
        metadata = item.get("metadata") or {}
        events: list[dict[str, Any]] = [{"event": "slot", "name": conversation.METADATA_SLOT, "value": metadata}]
        remembered = None
        for turn in item["turns"]:
            parsed = next(parses)
            events.append({"event": "user", "text": turn["text"], "parse_data": parsed, "metadata": metadata})
            reply = conversation.conversation_language(events, {}).reply
            result.turns += 1
            if reply == turn["reply"]:
                result.right_turns += 1
            else:
                result.misses.append(f"{turn['text']!r}: answered in {reply}, expected {turn['reply']}")
            if not languages.is_supported(item["language"]) and reply != ENGLISH:
                result.out_of_neighbours = False
            stated, remembered = stated_fact(parsed["intent"]["name"] or "", turn["text"], reply, metadata, remembered,
                                             str(item.get("now") or EVALUATION_NOW))
            facts = turn.get("fact", [])
            for fact in facts if isinstance(facts, list) else [facts]:  # a price, a window, a day and its hours
                result.facts += 1
                if stated is not None and str(fact) in stated:
                    result.right_facts += 1
                else:
                    result.misses.append(f"{turn['text']!r}: fact {fact!r} not stated ({stated!r})")
        results.append(result)
    return results


def conversation_figures(results: list[ConversationResult]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    groups: dict[str, list[ConversationResult]] = {}
    for result in results:
        groups.setdefault(result.language, []).append(result)
        groups.setdefault("all", []).append(result)
    order = [code for code in languages.SUPPORTED if code in groups] + sorted(
        code for code in groups if code != "all" and not languages.is_supported(code)) + ["all"]
    for code in order:
        group = groups[code]
        turns, facts = sum(r.turns for r in group), sum(r.facts for r in group)
        unsupported = [r for r in group if not languages.is_supported(r.language)]
        figures[code] = {
            "conversations": len(group), "turns": turns,
            "reply_language": sum(r.right_turns for r in group) / turns if turns else None,
            "right_throughout": sum(r.right_turns == r.turns for r in group),
            "facts": facts, "facts_right": sum(r.right_facts for r in group) / facts if facts else None,
            "unsupported_conversations": len(unsupported),
            "unsupported_kept_out": sum(r.out_of_neighbours for r in unsupported),
            "misses": [f"{r.name}: {miss}" for r in group for miss in r.misses][:20] if code != "all" else [],
        }
    return figures


# ---- running it on a trained model ------------------------------------------------------------------------------
def _detector(model: Path):
    """The model's own language detector (the component's trained n-gram model), for per-message figures."""
    import tarfile

    from bot.nlu.language_model import LanguageModel

    folder = tempfile.mkdtemp(prefix="lid-")
    with tarfile.open(model) as archive:
        members = [m for m in archive.getmembers() if "LanguageDetector" in m.name]
        archive.extractall(folder, members=members)
    directory = next(Path(folder).rglob("language_settings.json")).parent
    detector = LanguageModel.load(directory)
    return lambda text, hint: detector.detect(text, hint).as_dict()


def evaluate_language(root: Path, model: Path, examples: list[Example], with_conversations: bool = True,
                      parser: Optional[Any] = None) -> dict[str, Any]:
    """All the figures of this module for `model` (the NLU graph parses the conversations)."""
    from bot.evaluation.scoring import NluParser, channel_hint

    detect = _detector(model)
    figures: dict[str, Any] = {
        "language_id": language_id_figures(detect, examples, root,
                                           lambda code: languages.hint_from_metadata(channel_hint(code))),
        "unsupported": unsupported_figures(detect, root),
        "heldout": unsupported_figures(detect, root, UNSUPPORTED_SETS["heldout"]),
    }
    if with_conversations:
        from rasa.core.channels.channel import UserMessage

        own = parser is None
        parser = parser or NluParser(model)
        try:
            results = run_conversations(
                lambda messages: parser.parse([UserMessage(text, metadata=meta) for text, meta in messages]), root)
        finally:
            if own:
                parser.close()
        figures["conversations"] = conversation_figures(results)
    return figures


def gate_failures(figures: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """Sentences for every figure under its minimum (`language:` in eval_thresholds.yml)."""
    failures = []
    lid = figures.get("language_id", {}).get("all", {})
    for key, label in (("alone", "per-message identification"), ("alone_short", "identification, ≤ 3 words")):
        minimum = thresholds.get(f"identification_{key}")
        if minimum is not None and (lid.get(key) or 0) < minimum:
            failures.append(f"all: {label} {lid.get(key) or 0:.3f} is below its minimum {minimum:.3f}")
    for key, label in (("unsupported", "unsupported"), ("heldout", "unsupported, held-out (lingua)")):
        bad = sum(row["answered_in_supported_non_english"] for row in figures.get(key, {}).values())
        allowed = thresholds.get(f"{key}_answered_in_neighbour")
        if allowed is not None and bad > allowed:
            failures.append(f"{label}: {bad} messages answered in a supported non-English language "
                            f"(at most {allowed:g})")
    convs = figures.get("conversations", {}).get("all")
    minimum = thresholds.get("conversation_reply_language")
    if convs and minimum is not None and (convs["reply_language"] or 0) < minimum:
        failures.append(f"conversations: reply language {convs['reply_language']:.3f} is below its minimum "
                        f"{minimum:.3f}")
    return failures


def console(figures: dict[str, Any]) -> str:
    """The tables `bot eval` prints."""
    lines = ["", "Language identification per message (a message the neighbour writes alike is right for either):",
             f"{'lang':5} {'alone':>7} {'≤3 words':>9} {'with hint':>10} {'hint ≤3':>8} {'shared reported':>16}"]
    for code, row in figures["language_id"].items():
        def pct(value):
            return f"{100 * value:.1f}%" if value is not None else "–"
        lines.append(f"{code:5} {pct(row['alone']):>7} {pct(row['alone_short']):>9} {pct(row['hint']):>10} "
                     f"{pct(row['hint_short']):>8} {pct(row['shared_reported']):>16}")
    for key, title in (("unsupported", "tests/data/unsupported, customer-style, its words tuned on"),
                       ("heldout", "tests/data/unsupported_heldout, lingua sentences, never tuned on; "
                                   "bs: right in hr/sr")):
        if key not in figures:
            continue
        lines += ["", f"Unsupported languages, each message as a conversation's first ({title}):",
                  f"{'lang':5} {'n':>4} {'named':>7} {'not ours':>9} {'English':>8} {'shared':>7} "
                  f"{'answered in ours (not en)':>26}"]
        for code, row in figures[key].items():
            lines.append(f"{code:5} {row['n']:>4} {100 * row['named']:>6.1f}% {100 * row['unsupported']:>8.1f}% "
                         f"{100 * row['answered_in_english']:>7.1f}% {row.get('shared', 0):>7} "
                         f"{row['answered_in_supported_non_english']:>26}")
        bad = sum(row["answered_in_supported_non_english"] for row in figures[key].values())
        total = sum(row["n"] for row in figures[key].values())
        shared = sum(row.get("shared", 0) for row in figures[key].values())
        lines.append(f"{'all':5} {total:>4} {'':>7} {'':>9} {'':>8} {shared:>7} {bad:>26}")
    lines.append("(shared: messages one of ours writes exactly so, e.g. Macedonian \"Пријатно\" in Serbian; answered in "
                 "that language they are not counted as answered in ours)")
    if "conversations" in figures:
        lines += ["", "Conversations (tests/conversations):",
                  f"{'lang':5} {'convs':>6} {'turns':>6} {'reply lang':>11} {'right throughout':>17} {'facts':>6} "
                  f"{'facts right':>12} {'unsupported kept out':>21}"]
        for code, row in figures["conversations"].items():
            facts = f"{100 * row['facts_right']:.1f}%" if row["facts_right"] is not None else "–"
            kept = f"{row['unsupported_kept_out']}/{row['unsupported_conversations']}" \
                if row["unsupported_conversations"] else "–"
            lines.append(f"{code:5} {row['conversations']:>6} {row['turns']:>6} {100 * row['reply_language']:>10.1f}% "
                         f"{row['right_throughout']:>17} {row['facts']:>6} {facts:>12} {kept:>21}")
    return "\n".join(lines)


def markdown(figures: dict[str, Any]) -> str:
    """The same tables for reports/eval.md."""
    if not figures:
        return ""
    return "\n\n## Language in conversations\n\n```\n" + console(figures).strip() + "\n```\n"
