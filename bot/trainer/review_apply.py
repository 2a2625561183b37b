"""`bot review --apply`: the messages a trainer labelled go into data/nlu/<lang>.yml, each once, in blocks
marked `source: review`, and reviews/applied.yml records where each came from."""
from __future__ import annotations

import hashlib
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot import languages
from bot.checks import read_yaml
from bot.trainer.coverage import domain_intents
from bot.trainer.masking import EMAIL, NAME, ORDER_ID, PHONE
from bot.trainer.nlu_data import read_blocks, same_text_key
from bot.trainer.review import read_review

SKIP = "skip"
REVIEW_SOURCE = "review"
RECORD = Path("reviews/applied.yml")


@dataclass
class Outcome:
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (language, intent, example)
    duplicates: list[str] = field(default_factory=list)
    skipped: int = 0
    undecided: int = 0
    problems: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"Added {len(self.added)} example(s)" + (":" if self.added else ".")]
        lines += [f"  data/nlu/{language}.yml  {intent}: {example}" for language, intent, example in self.added]
        lines.append(f"Already in the data (not added again): {len(self.duplicates)}; skipped: {self.skipped}; "
                     f"still to decide: {self.undecided}.")
        lines += [f"Not added: {problem}" for problem in self.problems]
        return "\n".join(lines)


def conversation_reference(conversation: str) -> str:
    """A stable stand-in for a conversation id in files that go into git (a WhatsApp id is a phone number)."""
    return "c-" + hashlib.sha256(conversation.encode()).hexdigest()[:12]


def training_text(masked: str, language: str) -> str:
    """A masked message as a training example: each placeholder becomes a sample value, annotated as the entity
    the bot extracts (`<order_id>` -> `[48213](order_id)`), so the examples teach the entities too."""
    seed = zlib.crc32(masked.encode())
    calling = (languages.LANGUAGES[language].calling_codes or ("44",))[0] if language in languages.LANGUAGES else "44"
    samples = {
        ORDER_ID: f"[{10000 + seed % 90000}](order_id)",
        EMAIL: "[alex.jordan@example.com](email)",
        PHONE: f"[+{calling} 600 {seed % 900 + 100} {seed % 9000 + 1000}](phone)",
        NAME: "Alex",
    }
    for placeholder, sample in samples.items():
        masked = masked.replace(placeholder, sample)
    return masked


def _review_block_end(path: Path, language: str, intent: str) -> int | None:
    """The line index after the last example of this intent's review block, if the file has one."""
    for block in read_blocks(path, language):
        if block.intent == intent and block.source == REVIEW_SOURCE and block.examples:
            return block.examples[-1].line
    return None


def add_examples(path: Path, language: str, intent: str, examples: list[str]) -> None:
    """Append to the intent's review block, or start one at the end of the file (the rest stays as written)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    new = [f"    - {example}\n" for example in examples]
    end = _review_block_end(path, language, intent)
    if end is not None:
        lines[end:end] = new
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines += [f"- intent: {intent}\n", "  metadata:\n", f"    language: {language}\n",
                  f"    source: {REVIEW_SOURCE}\n", "  examples: |\n", *new]
    path.write_text("".join(lines), encoding="utf-8")


def _record(root: Path, entries: list[dict[str, Any]]) -> None:
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("# Examples that `bot review --apply` added to data/nlu, and the conversation each came from\n"
                        "# (`c-` + the start of the SHA-256 of its id: no phone numbers in git).\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=200))


def apply_review(review_file: Path, root: Path) -> Outcome:
    intents = set(domain_intents(read_yaml(root / "domain.yml")))
    outcome, record = Outcome(), []
    pending: dict[tuple[str, str], list[str]] = {}
    known: dict[str, set[str]] = {}
    for language, groups in read_review(review_file).items():
        path = root / "data/nlu" / f"{language}.yml"
        if not path.exists():
            outcome.problems.append(f"{language}: no data/nlu/{language}.yml")
            continue
        seen = known.setdefault(language, {same_text_key(e.text, language) for b in read_blocks(path, language)
                                           for e in b.examples})
        for items in (groups or {}).values():
            for item in items or []:
                intent = str(item.get("intent") or "").strip()
                if not intent:
                    outcome.undecided += 1
                elif intent == SKIP:
                    outcome.skipped += 1
                elif intent not in intents:
                    outcome.problems.append(f"“{item['text']}”: '{intent}' is not an intent in domain.yml")
                else:
                    example = training_text(str(item["text"]), language)
                    key = same_text_key(example, language)
                    if key in seen:
                        outcome.duplicates.append(example)
                        continue
                    seen.add(key)
                    pending.setdefault((language, intent), []).append(example)
                    outcome.added.append((language, intent, example))
                    record.append({"example": example, "intent": intent, "language": language,
                                   "conversation": conversation_reference(str(item.get("conversation") or "")),
                                   "review": review_file.name,
                                   "applied": time.strftime("%Y-%m-%d %H:%M")})
    for (language, intent), examples in pending.items():
        add_examples(root / "data/nlu" / f"{language}.yml", language, intent, examples)
    if record:
        _record(root, record)
    return outcome
