"""Splitting a long reply into messages a channel accepts: at paragraphs, then sentences, then words."""
from __future__ import annotations

import re

MESSENGER_TEXT_LIMIT = 2000
WHATSAPP_TEXT_LIMIT = 4096
# How Meta counts emoji and combining sequences is not documented, so chunks keep a margin below the limits.
MARGIN = 0.95

_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCES = re.compile(r"(?<=[.!?…;\u037e])\s+")  # ";" and U+037E are the Greek question mark
_WORDS = re.compile(r"\s+")
_LEVELS = ((_PARAGRAPHS, "\n\n"), (_SENTENCES, " "), (_WORDS, " "))


def chunk_limit(channel_limit: int) -> int:
    return int(channel_limit * MARGIN)


def split_text(text: str, limit: int, level: int = 0) -> list[str]:
    """`text` as few pieces of at most `limit` characters as possible, cut at the largest boundary that fits."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    if level == len(_LEVELS):
        return [text[start:start + limit] for start in range(0, len(text), limit)]
    pattern, separator = _LEVELS[level]
    chunks: list[str] = []
    current = ""
    for unit in pattern.split(text):
        for part in split_text(unit, limit, level + 1):
            joined = f"{current}{separator}{part}" if current else part
            if len(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = part
    if current:
        chunks.append(current)
    return chunks
