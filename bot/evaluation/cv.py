"""`bot eval --cv K`: stratified K-fold cross-validation on the training data, per language and per intent.

The held-out test sets have a handful of messages for some intents; cross-validation measures every training
example once, by a model (the project's NLU pipeline, config.yml) that did not see it. Folds are stratified by
language and intent, so each fold holds about 1/K of every intent of every language.
"""
from __future__ import annotations

import random
import tempfile
import warnings
from pathlib import Path
from typing import Any, Sequence

import yaml

from bot.evaluation.metrics import accuracy, macro_f1
from bot.trainer.nlu_data import TrainingExample, read_examples


def stratified_folds(examples: Sequence[TrainingExample], k: int, seed: int = 0) -> list[int]:
    """A fold number per example: each (language, intent) group dealt round-robin after a fixed shuffle."""
    groups: dict[tuple[str, str], list[int]] = {}
    for index, example in enumerate(examples):
        groups.setdefault((example.language, example.intent), []).append(index)
    folds = [0] * len(examples)
    shuffle = random.Random(seed)
    for key in sorted(groups):
        members = groups[key]
        shuffle.shuffle(members)
        for position, index in enumerate(members):
            folds[index] = position % k
    return folds


def _nlu_file(examples: Sequence[TrainingExample]) -> str:
    blocks: dict[tuple[str, str], list[str]] = {}
    for example in examples:
        blocks.setdefault((example.intent, example.language), []).append(example.text)
    return yaml.safe_dump({"version": "3.1", "nlu": [
        {"intent": intent, "metadata": {"language": language}, "examples": "".join(f"- {t}\n" for t in texts)}
        for (intent, language), texts in blocks.items()]}, allow_unicode=True, sort_keys=False, width=1000)


def _nlu_config(root: Path) -> dict[str, Any]:
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    return {key: value for key, value in config.items() if key != "policies"}


def cross_validate(root: Path, codes: Sequence[str], k: int) -> dict[str, Any]:
    """Per language: accuracy and macro-F1 over all folds; per intent: examples and recall."""
    from rasa.core.channels.channel import UserMessage
    from rasa.model_training import train_nlu

    from bot.evaluation.report import quiet_rasa
    from bot.evaluation.scoring import NluParser, _top_intent

    examples = [e for code in codes for e in read_examples(root / "data/nlu" / f"{code}.yml", code)]
    folds = stratified_folds(examples, k)
    predicted: list[str] = [""] * len(examples)
    with warnings.catch_warnings(), tempfile.TemporaryDirectory() as folder:
        warnings.simplefilter("ignore")
        quiet_rasa()
        warnings.simplefilter("ignore")
        work = Path(folder)
        (work / "config.yml").write_text(yaml.safe_dump(_nlu_config(root), sort_keys=False))
        for fold in range(k):
            print(f"  fold {fold + 1}/{k}: training on {sum(f != fold for f in folds)} examples ...", flush=True)
            data = work / f"fold{fold}"
            data.mkdir()
            (data / "nlu.yml").write_text(_nlu_file([e for e, f in zip(examples, folds) if f != fold]),
                                          encoding="utf-8")
            regex = root / "data/nlu/regex.yml"
            if regex.exists():
                (data / "regex.yml").write_text(regex.read_text(encoding="utf-8"), encoding="utf-8")
            model = Path(train_nlu(str(work / "config.yml"), str(data), str(work / f"model{fold}")))
            held = [i for i, f in enumerate(folds) if f == fold]
            parser = NluParser(model)
            try:
                parses = parser.parse([UserMessage(examples[i].plain) for i in held])
            finally:
                parser.close()
            for index, parse in zip(held, parses):
                predicted[index] = _top_intent(parse)
    results: dict[str, Any] = {"k": k}
    for code in codes:
        mine = [i for i, e in enumerate(examples) if e.language == code]
        gold, chosen = [examples[i].intent for i in mine], [predicted[i] for i in mine]
        intents = {intent: {"n": gold.count(intent),
                            "recall": round(sum(g == p == intent for g, p in zip(gold, chosen)) / gold.count(intent), 4)}
                   for intent in sorted(set(gold))}
        results[code] = {"n": len(mine), "intent_accuracy": round(accuracy(gold, chosen), 4),
                         "intent_macro_f1": round(macro_f1(gold, chosen), 4), "intents": intents}
    return results


def cv_lines(results: dict[str, Any], few: dict[str, dict[str, int]], limit: int = 8) -> list[str]:
    """Per language, then the intents with the fewest held-out test messages and their cross-validated recall."""
    lines = [f"Cross-validation ({results['k']} folds, stratified by language and intent, on data/nlu):",
             f"{'lang':5} {'examples':>8} {'accuracy':>9} {'macro-F1':>9}  intents with few test messages: CV recall"]
    for code, figures in results.items():
        if code == "k":
            continue
        scarce = sorted(figures["intents"], key=lambda i: (few.get(code, {}).get(i, 0), i))[:limit]
        shown = ", ".join(f"{i} ({few.get(code, {}).get(i, 0)} test) {figures['intents'][i]['recall']:.2f}"
                          for i in scarce)
        lines.append(f"{code:5} {figures['n']:>8} {figures['intent_accuracy']:>9.3f} {figures['intent_macro_f1']:>9.3f}"
                     f"  {shown}")
    return lines
