"""reports/eval.md: the evaluation as text, for the README and for reading in a terminal."""
from __future__ import annotations

from typing import Any

from bot import languages
from bot.evaluation.history import summary

TARGETS = {"lid_overall": 0.97, "lid_short": 0.93, "intent_macro_f1": 0.92}


def pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _per_language(results: dict[str, Any]) -> list[str]:
    lines = [
        "| lang | n | intent acc. | macro-F1 | fallback | LID | LID ≤3 words | LID with phone hint "
        "| ≤3 words with hint | langdetect LID | langdetect ≤3 words |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for code in languages.SUPPORTED:
        r = results[code]
        lines.append(
            f"| {code} | {r['n']} | {pct(r['intent_accuracy'])} | {r['intent_macro_f1']:.3f} "
            f"| {pct(r['fallback_rate'])} | {pct(r['lid']['overall'])} | {pct(r['lid']['short'])} "
            f"| {pct(r['lid_with_hint']['overall'])} | {pct(r['lid_with_hint']['short'])} "
            f"| {pct(r['langdetect']['overall'])} | {pct(r['langdetect']['short'])} |"
        )
    a = results["all"]
    lines += [
        f"| **all** | {a['lid']['n']} | | {a['intent_macro_f1']:.3f} | | {pct(a['lid']['overall'])} | "
        f"{pct(a['lid']['short'])} | {pct(a['lid_with_hint']['overall'])} | {pct(a['lid_with_hint']['short'])} | "
        f"{pct(a['langdetect']['overall'])} | {pct(a['langdetect']['short'])} |",
        "",
        f"Language ID counting only messages that contain letters (a bare order number has no language; the bot keeps "
        f"the conversation's language for those): {pct(a['lid']['overall_with_letters'])} overall, "
        f"{pct(a['lid']['short_with_letters'])} on ≤3 words.",
        "",
        "LID is the detector alone on each message, with no conversation context and no channel metadata. "
        "“With phone hint” adds what a WhatsApp customer of that market brings (a number with the country's "
        "calling code). Plain langdetect cannot answer Serbian at all (it has no Serbian profile).",
    ]
    return lines


def _targets(results: dict[str, Any]) -> list[str]:
    a = results["all"]
    lines = ["### Targets", ""]
    for code in languages.SUPPORTED:
        ok = results[code]["intent_macro_f1"] >= TARGETS["intent_macro_f1"]
        lines.append(f"- {code}: intent macro-F1 {results[code]['intent_macro_f1']:.3f} "
                     f"{'meets' if ok else 'MISSES'} the target")
    for key, label, value in (("lid_overall", "overall", a["lid"]["overall"]),
                              ("lid_short", "≤3 words", a["lid"]["short"])):
        lines.append(f"- language ID {label} {pct(value)}: {'meets' if value >= TARGETS[key] else 'MISSES'} the target")
    return lines


def _training(training: dict[str, Any]) -> list[str]:
    if not training:
        return ["Not measured yet: `make eval` (without --quick) measures it."]
    lines = [
        f"- full training (empty cache): {training['full_seconds']:.0f} s",
        f"- after adding an example (`rasa train` reuses the cached dialogue policies, retrains the NLU): "
        f"{training['incremental_seconds']:.0f} s",
    ]
    if "incremental_macro_f1" in training:
        lines.append(f"- macro-F1 of the retrained model: {training['incremental_macro_f1']:.3f} (the model under "
                     f"test: {training['full_macro_f1']:.3f})")
    if training.get("measured"):
        lines.append(f"- measured {training['measured']}")
    return lines


def markdown(report: dict[str, Any]) -> str:
    results = report["results"]
    lines = ["# NLU evaluation", "", f"Model `{report['model']}`, {report['generated']}. Held-out test sets "
             "`tests/data/<lang>.yml` (never trained on). Reproduce: `make eval`; the charts and examples are in "
             "`reports/eval.html`.",
             f"Targets: language ID ≥ {pct(TARGETS['lid_overall'])} overall, ≥ {pct(TARGETS['lid_short'])} on "
             f"messages of at most 3 words; intent macro-F1 ≥ {TARGETS['intent_macro_f1']} in every language.",
             "", "## Per language", "", *_per_language(results), "", *_targets(results),
             "", "## Since the previous report", "", summary(report["changes"]),
             "", "## Training time", "", *_training(report.get("training") or {}),
             "", "## Most confused intents", ""]
    for code in languages.SUPPORTED:
        for c in results[code]["worst_confusions"][:3]:
            examples = "; ".join(f"“{text}”" for text in c["examples"])
            lines.append(f"- {code}: {c['gold']} → {c['predicted']} ×{c['count']} (e.g. {examples})")
    comparison = report.get("comparison") or []
    if comparison:
        lines += ["", "## Classifier and feature comparison (NLU only, same data, same test sets)", "",
                  "| variant | train time | macro-F1 all | " + " | ".join(languages.SUPPORTED) + " |",
                  "|---|---|---|" + "---|" * len(languages.SUPPORTED)]
        for row in comparison:
            lines.append(f"| {row['variant']} | {row['train_seconds']} s | {row['macro_f1_all']:.3f} | "
                         + " | ".join(f"{row['macro_f1'][code]:.3f}" for code in languages.SUPPORTED) + " |")
    return "\n".join(lines) + "\n"
