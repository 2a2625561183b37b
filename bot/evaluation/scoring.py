"""The model on the held-out test sets: per-language intent and language-ID figures, plain langdetect and the
phone-number hint side by side."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Optional

from bot import languages
from bot.evaluation.metrics import Example, accuracy, confusion_matrix, confusions, load_examples, macro_f1

_LANGDETECT_TO_OURS = {"no": "nb"}


def held_out_examples(root: Path) -> list[Example]:
    return [example for code in languages.SUPPORTED for example in load_examples(root / "tests/data" / f"{code}.yml")]


def _top_intent(parse: dict[str, Any]) -> str:
    """The classifier's intent, looking through a fallback prediction."""
    from rasa.nlu.classifiers.fallback_classifier import is_fallback_classifier_prediction, undo_fallback_prediction

    if is_fallback_classifier_prediction(parse):
        parse = undo_fallback_prediction(parse)
    return parse["intent"]["name"]


def channel_hint(language: str) -> dict[str, str]:
    """Metadata a WhatsApp customer of that market brings: a phone number with the country's calling code."""
    return {"phone": f"+{languages.LANGUAGES[language].calling_codes[0]}000000000"}


async def _parse_all(model: Path, examples: list[Example], with_hints: bool) -> list[list[dict[str, Any]]]:
    """Each example parsed without metadata and, when asked, with its market's phone number as a hint."""
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    agent = Agent.load(str(model))
    plain = [await agent.parse_message(example.text) for example in examples]
    if not with_hints:
        return [plain]
    hinted = [
        await agent.processor.parse_message(UserMessage(example.text, metadata=channel_hint(example.language)))
        for example in examples
    ]
    return [plain, hinted]


def plain_langdetect(text: str) -> Optional[str]:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        code = detect(text)
    except LangDetectException:
        return None
    return _LANGDETECT_TO_OURS.get(code, code)


def _lid_figures(examples: list[Example], predicted: list[Optional[str]]) -> dict[str, Any]:
    def share(selected: list[int]) -> float:
        return accuracy([examples[i].language for i in selected], [predicted[i] for i in selected])

    every = list(range(len(examples)))
    short = [i for i in every if examples[i].words <= 3]
    with_letters = [i for i in every if examples[i].has_letters]
    return {
        "overall": share(every),
        "short": share(short),
        "overall_with_letters": share(with_letters),
        "short_with_letters": share([i for i in short if i in set(with_letters)]),
        "n": len(every),
        "n_short": len(short),
    }


def evaluate_model(model: Path, examples: list[Example], with_langdetect: bool = True) -> dict[str, Any]:
    parsed = asyncio.run(_parse_all(model, examples, with_hints=with_langdetect))
    parses = parsed[0]
    results: dict[str, Any] = {}
    for code in languages.SUPPORTED:
        idx = [i for i, e in enumerate(examples) if e.language == code]
        subset = [examples[i] for i in idx]
        gold = [e.intent for e in subset]
        intents = [_top_intent(parses[i]) for i in idx]
        answered = [p["intent"]["name"] for p in (parses[i] for i in idx)]
        figures = {
            "n": len(subset),
            "intent_accuracy": accuracy(gold, intents),
            "intent_macro_f1": macro_f1(gold, intents),
            "fallback_rate": sum(a == "nlu_fallback" for a in answered) / len(answered),
            "lid": _lid_figures(subset, [parses[i]["language"]["code"] for i in idx]),
            "worst_confusions": confusions(gold, intents, [e.text for e in subset]),
            "confusion": confusion_matrix(gold, intents),
        }
        if with_langdetect:
            figures["langdetect"] = _lid_figures(subset, [plain_langdetect(e.text) for e in subset])
            figures["lid_with_hint"] = _lid_figures(subset, [parsed[1][i]["language"]["code"] for i in idx])
        results[code] = figures
    everything = list(range(len(examples)))
    results["all"] = {
        "lid": _lid_figures(examples, [parses[i]["language"]["code"] for i in everything]),
        "intent_macro_f1": macro_f1([e.intent for e in examples], [_top_intent(p) for p in parses]),
    }
    if with_langdetect:
        results["all"]["langdetect"] = _lid_figures(examples, [plain_langdetect(e.text) for e in examples])
        results["all"]["lid_with_hint"] = _lid_figures(examples, [p["language"]["code"] for p in parsed[1]])
    return results
