"""The model on the held-out test sets: per-language intent and language-ID figures, plain langdetect and the
phone-number hint side by side."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Optional

from bot import languages
from bot.evaluation.metrics import (Example, accuracy, confusion_matrix, confusions, load_examples, macro_f1,
                                    per_intent)

_LANGDETECT_TO_OURS = {"no": "nb"}


def held_out_examples(root: Path) -> list[Example]:
    return [example for code in languages.SUPPORTED if (root / "tests/data" / f"{code}.yml").exists()
            for example in load_examples(root / "tests/data" / f"{code}.yml")]


def _classified(parse: dict[str, Any]) -> dict[str, Any]:
    """The classifier's intent and confidence, looking through a fallback prediction."""
    from rasa.nlu.classifiers.fallback_classifier import is_fallback_classifier_prediction, undo_fallback_prediction

    if is_fallback_classifier_prediction(parse):
        parse = undo_fallback_prediction(parse)
    return parse["intent"]


def _top_intent(parse: dict[str, Any]) -> str:
    return _classified(parse)["name"]


def message_rows(subset: list[Example], parses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each test message with the intent the model chose and its confidence (for comparisons and the report)."""
    return [{"text": e.text, "intent": e.intent, "predicted": _classified(p)["name"],
             "confidence": round(float(_classified(p).get("confidence") or 0.0), 3),
             "language": (p.get("language") or {}).get("code")} for e, p in zip(subset, parses)]


def channel_hint(language: str) -> dict[str, str]:
    """Metadata a WhatsApp customer of that market brings: a phone number with the country's calling code."""
    return {"phone": f"+{languages.LANGUAGES[language].calling_codes[0]}000000000"}


class NluParser:
    """The model's NLU graph alone (the dialogue policies are not loaded), parsing messages in batches: the same
    parse results as Rasa's `parse_message`, several times faster."""

    def __init__(self, model: Path) -> None:
        from rasa.engine.graph import ExecutionContext
        from rasa.engine.runner.dask import DaskGraphRunner
        from rasa.engine.storage.local_model_storage import LocalModelStorage

        self._unpacked = tempfile.TemporaryDirectory()
        storage, metadata = LocalModelStorage.from_model_archive(Path(self._unpacked.name), model)
        self._target = metadata.nlu_target
        schema = metadata.predict_schema.minimal_graph_schema([self._target])
        self._runner = DaskGraphRunner.create(graph_schema=schema, model_storage=storage,
                                              execution_context=ExecutionContext(schema, metadata.model_id))

    def parse(self, messages: list[Any]) -> list[dict[str, Any]]:
        from rasa.engine.constants import PLACEHOLDER_MESSAGE

        parsed = self._runner.run(inputs={PLACEHOLDER_MESSAGE: messages}, targets=[self._target])[self._target]
        return [{"text": "", "intent": {"name": None, "confidence": 0.0}, "entities": [],
                 **message.as_dict(only_output_properties=True)} for message in parsed]

    def close(self) -> None:
        self._unpacked.cleanup()


def _parse_all(model: Path, examples: list[Example], with_hints: bool, batch: int = 256) -> list[list[dict[str, Any]]]:
    """Each example parsed without metadata and, when asked, with its market's phone number as a hint."""
    from rasa.core.channels.channel import UserMessage

    parser = NluParser(model)
    variants = [lambda e: UserMessage(e.text)]
    if with_hints:
        variants.append(lambda e: UserMessage(e.text, metadata=channel_hint(e.language)))
    try:
        return [[parse for start in range(0, len(examples), batch)
                 for parse in parser.parse([message(e) for e in examples[start:start + batch]])]
                for message in variants]
    finally:
        parser.close()


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
    parsed = _parse_all(model, examples, with_hints=with_langdetect)
    parses = parsed[0]
    langdetect = [plain_langdetect(e.text) for e in examples] if with_langdetect else []
    results: dict[str, Any] = {}
    for code in [c for c in languages.SUPPORTED if any(e.language == c for e in examples)]:
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
            "per_intent": per_intent(gold, intents),
            "messages": message_rows(subset, [parses[i] for i in idx]),
        }
        if with_langdetect:
            figures["langdetect"] = _lid_figures(subset, [langdetect[i] for i in idx])
            figures["lid_with_hint"] = _lid_figures(subset, [parsed[1][i]["language"]["code"] for i in idx])
        results[code] = figures
    everything = list(range(len(examples)))
    results["all"] = {
        "lid": _lid_figures(examples, [parses[i]["language"]["code"] for i in everything]),
        "intent_macro_f1": macro_f1([e.intent for e in examples], [_top_intent(p) for p in parses]),
    }
    if with_langdetect:
        results["all"]["langdetect"] = _lid_figures(examples, langdetect)
        results["all"]["lid_with_hint"] = _lid_figures(examples, [p["language"]["code"] for p in parsed[1]])
    return results
