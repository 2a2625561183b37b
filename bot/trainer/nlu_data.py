"""Training and test examples read with the file and line they are on, so that every message can point there."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from bot.text import normalise

_ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}")


def plain_text(annotated: str) -> str:
    """`where is [10482](order_id)` -> `where is 10482`."""
    return _ENTITY_MARKUP.sub(lambda m: m.group(1) or m.group(2), annotated)


def same_text_key(text: str, language: str) -> str:
    """What the classifier sees: case, accents, spacing, script and Greeklish spelling do not count."""
    return " ".join(normalise(plain_text(text), language).split())


def near_text_key(text: str, language: str) -> str:
    """Like `same_text_key`, and punctuation does not count either (emoji do: 👍 and 👎 differ)."""
    key = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in same_text_key(text, language))
    return " ".join(key.split())


@dataclass(frozen=True)
class TrainingExample:
    text: str  # as written, entity markup included
    intent: str
    language: str  # the language of the file it is in
    path: Path
    line: int

    @property
    def plain(self) -> str:
        return plain_text(self.text)

    @property
    def words(self) -> int:
        return len(self.plain.split())


@dataclass(frozen=True)
class IntentBlock:
    intent: str
    language: Optional[str]  # from the block's `metadata: {language: xx}`
    source: Optional[str]  # `metadata: {source: review}` for examples that came from `bot review --apply`
    line: int
    examples: tuple[TrainingExample, ...]


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    return {key.value: value for key, value in node.value} if isinstance(node, yaml.MappingNode) else {}


def _examples(node: yaml.Node, intent: str, language: str, path: Path) -> list[TrainingExample]:
    """Examples of a literal block (`examples: |`), each with its own line; other styles point at the block."""
    found = []
    if not isinstance(node, yaml.ScalarNode):
        return found
    literal = node.style == "|"
    for offset, raw in enumerate(str(node.value).splitlines()):
        if raw.strip().startswith("- "):
            line = node.start_mark.line + 2 + offset if literal else node.start_mark.line + 1
            found.append(TrainingExample(raw.strip()[2:].strip(), intent, language, path, line))
    return found


def read_blocks(path: Path, language: Optional[str] = None) -> list[IntentBlock]:
    """The intent blocks of an NLU file; `language` defaults to the file name (`data/nlu/pl.yml` is Polish)."""
    language = language or path.stem
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    blocks = []
    for block in (_mapping(root).get("nlu") or yaml.SequenceNode("", [])).value:
        fields = _mapping(block)
        if "intent" not in fields:
            continue
        intent = str(fields["intent"].value)
        metadata = _mapping(fields["metadata"]) if "metadata" in fields else {}
        tagged = metadata["language"].value if "language" in metadata else None
        source = metadata["source"].value if "source" in metadata else None
        examples = _examples(fields.get("examples"), intent, language, path) if "examples" in fields else []
        blocks.append(IntentBlock(intent, tagged, source, block.start_mark.line + 1, tuple(examples)))
    return blocks


def read_examples(path: Path, language: Optional[str] = None) -> list[TrainingExample]:
    return [example for block in read_blocks(path, language) for example in block.examples]
