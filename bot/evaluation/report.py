"""`bot eval`: per-language intent and language-ID figures, plain langdetect side by side, and the
classifier/feature comparison with training times. Writes reports/eval.md and reports/eval.json."""
from __future__ import annotations

import asyncio
import copy
import json
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

import yaml

from bot import languages
from bot.evaluation.metrics import Example, accuracy, confusions, load_examples, macro_f1

TARGETS = {"lid_overall": 0.97, "lid_short": 0.93, "intent_macro_f1": 0.92}
_LANGDETECT_TO_OURS = {"no": "nb"}


def test_examples(root: Path) -> list[Example]:
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


# ---- the comparison: variants of config.yml, NLU only ------------------------------------------
def _variant(config: dict, name: str) -> dict:
    variant = copy.deepcopy(config)
    pipeline = variant["pipeline"]

    def component(name_suffix: str) -> dict:
        return next(step for step in pipeline if step["name"].endswith(name_suffix))

    if name == "with lookup lemmas":
        component("MultilingualTokenizer")["lookup_lemmas"] = True
    elif name == "no normalisation":
        component("MultilingualTokenizer")["normalise"] = False
    elif name == "with language-specific features":
        component("LinearIntentClassifier")["language_specific_features"] = True
    elif name == "linear SVM":
        component("LinearIntentClassifier").update({"model": "svm", "C": 0.5})
    elif name == "Rasa LogisticRegressionClassifier":
        index = pipeline.index(component("LinearIntentClassifier"))
        pipeline[index] = {"name": "LogisticRegressionClassifier", "max_iter": 200}
    elif name.startswith("DIETClassifier"):
        index = pipeline.index(component("LinearIntentClassifier"))
        pipeline[index] = {"name": "DIETClassifier", "epochs": int(name.split()[1]), "entity_recognition": False,
                           "constrain_similarities": True}
    return variant


VARIANTS = [
    "project pipeline",
    "with lookup lemmas",
    "no normalisation",
    "with language-specific features",
    "linear SVM",
    "Rasa LogisticRegressionClassifier",
]


def train_nlu_variant(root: Path, config: dict, out_dir: Path) -> tuple[Path, float]:
    from rasa.model_training import train_nlu

    config_path = out_dir / "config.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    started = time.perf_counter()
    model = train_nlu(str(config_path), str(root / "data/nlu"), str(out_dir), domain=str(root / "domain.yml"))
    return Path(model), time.perf_counter() - started


def compare_variants(root: Path, examples: list[Example], variants: list[str]) -> list[dict[str, Any]]:
    config = yaml.safe_load((root / "config.yml").read_text())
    rows = []
    for name in variants:
        with tempfile.TemporaryDirectory() as tmp:
            model, seconds = train_nlu_variant(root, _variant(config, name), Path(tmp))
            figures = evaluate_model(model, examples, with_langdetect=False)
        rows.append(
            {
                "variant": name,
                "train_seconds": round(seconds, 1),
                "macro_f1": {code: round(figures[code]["intent_macro_f1"], 4) for code in languages.SUPPORTED},
                "macro_f1_all": round(figures["all"]["intent_macro_f1"], 4),
            }
        )
        print(f"  {name}: macro-F1 {rows[-1]['macro_f1_all']:.3f}, trained in {seconds:.0f} s", flush=True)
    return rows


# ---- output -----------------------------------------------------------------------------------
def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def markdown(results: dict[str, Any], comparison: list[dict[str, Any]]) -> str:
    lines = [
        "# NLU evaluation",
        "",
        "Held-out test sets `tests/data/<lang>.yml` (never trained on). Reproduce: `make eval`.",
        f"Targets: language ID ≥ {_pct(TARGETS['lid_overall'])} overall, ≥ {_pct(TARGETS['lid_short'])} on messages of "
        f"at most 3 words; intent macro-F1 ≥ {TARGETS['intent_macro_f1']} in every language.",
        "",
        "## Per language",
        "",
        "| lang | n | intent acc. | macro-F1 | fallback | LID | LID ≤3 words | LID with phone hint | ≤3 words with hint "
        "| langdetect LID | langdetect ≤3 words |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for code in languages.SUPPORTED:
        r = results[code]
        lines.append(
            f"| {code} | {r['n']} | {_pct(r['intent_accuracy'])} | {r['intent_macro_f1']:.3f} | {_pct(r['fallback_rate'])} "
            f"| {_pct(r['lid']['overall'])} | {_pct(r['lid']['short'])} | {_pct(r['lid_with_hint']['overall'])} "
            f"| {_pct(r['lid_with_hint']['short'])} | {_pct(r['langdetect']['overall'])} "
            f"| {_pct(r['langdetect']['short'])} |"
        )
    a = results["all"]
    lines += [
        f"| **all** | {a['lid']['n']} | | {a['intent_macro_f1']:.3f} | | {_pct(a['lid']['overall'])} | "
        f"{_pct(a['lid']['short'])} | {_pct(a['lid_with_hint']['overall'])} | {_pct(a['lid_with_hint']['short'])} | "
        f"{_pct(a['langdetect']['overall'])} | {_pct(a['langdetect']['short'])} |",
        "",
        f"Language ID counting only messages that contain letters (a bare order number has no language; the bot keeps "
        f"the conversation's language for those): {_pct(a['lid']['overall_with_letters'])} overall, "
        f"{_pct(a['lid']['short_with_letters'])} on ≤3 words.",
        "",
        "LID is the detector alone on each message, with no conversation context and no channel metadata. "
        "“With phone hint” adds what a WhatsApp customer of that market brings (a number with the country's "
        "calling code). Plain langdetect cannot answer Serbian at all (it has no Serbian profile).",
        "",
        "### Targets",
        "",
    ]
    for code in languages.SUPPORTED:
        ok = results[code]["intent_macro_f1"] >= TARGETS["intent_macro_f1"]
        lines.append(f"- {code}: intent macro-F1 {results[code]['intent_macro_f1']:.3f} {'meets' if ok else 'MISSES'} the target")
    lines.append(f"- language ID overall {_pct(a['lid']['overall'])}: {'meets' if a['lid']['overall'] >= TARGETS['lid_overall'] else 'MISSES'} the target")
    lines.append(f"- language ID ≤3 words {_pct(a['lid']['short'])}: {'meets' if a['lid']['short'] >= TARGETS['lid_short'] else 'MISSES'} the target")
    lines += ["", "## Most confused intents", ""]
    for code in languages.SUPPORTED:
        for c in results[code]["worst_confusions"][:3]:
            lines.append(f"- {code}: {c['gold']} → {c['predicted']} ×{c['count']} (e.g. “{c['example']}”)")
    if comparison:
        lines += [
            "",
            "## Classifier and feature comparison (NLU only, same data, same test sets)",
            "",
            "| variant | train time | macro-F1 all | " + " | ".join(languages.SUPPORTED) + " |",
            "|---|---|---|" + "---|" * len(languages.SUPPORTED),
        ]
        for row in comparison:
            lines.append(
                f"| {row['variant']} | {row['train_seconds']} s | {row['macro_f1_all']:.3f} | "
                + " | ".join(f"{row['macro_f1'][code]:.3f}" for code in languages.SUPPORTED)
                + " |"
            )
    return "\n".join(lines) + "\n"


def run_evaluation(root: Path, model: Path, ablation: bool = True, variants: Optional[list[str]] = None) -> int:
    examples = test_examples(root)
    print(f"Evaluating {model.name} on {len(examples)} held-out messages ...", flush=True)
    results = evaluate_model(model, examples)
    comparison = compare_variants(root, examples, variants or VARIANTS) if ablation else []
    reports = root / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "eval.json").write_text(json.dumps({"results": results, "comparison": comparison}, indent=2, ensure_ascii=False))
    text = markdown(results, comparison)
    (reports / "eval.md").write_text(text)
    print(text)
    return 0
