"""reports/eval.md: the evaluation as text, for the README and for reading in a terminal."""
from __future__ import annotations

from typing import Any

from bot import languages
from bot.evaluation.gate import FIGURES
from bot.evaluation.history import summary
from bot.trainer.snapshot import change_lines


def pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _per_language(results: dict[str, Any]) -> list[str]:
    lines = [
        "| lang | n | intent acc. | macro-F1 | fallback | LID | LID ≤3 words | LID with phone hint "
        "| ≤3 words with hint | langdetect LID | langdetect ≤3 words |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for code in [c for c in languages.SUPPORTED if c in results]:
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


def _targets(results: dict[str, Any], thresholds: dict[str, dict[str, float]]) -> list[str]:
    """Each figure against its minimum in eval_thresholds.yml: the one target `make test` and `bot train` use."""
    lines = ["### Minimums (eval_thresholds.yml)", ""]
    if not thresholds:
        return lines + ["No eval_thresholds.yml: nothing to meet."]
    for figure, minimums in thresholds.items():
        for code, minimum in minimums.items():
            if code in results:
                value = FIGURES[figure](results[code])
                lines.append(f"- {code}: {figure} {value:.3f} {'meets' if value >= minimum else 'is BELOW'} "
                             f"its minimum {minimum:.3f}")
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
    data = report.get("data_changes")
    lines = ["# NLU evaluation", "", f"Model `{report['model']}`, {report['generated']}. Held-out test sets "
             "`tests/data/<lang>.yml` (never trained on). Reproduce: `make eval`; the charts, every intent and the "
             "misclassified messages are in `reports/eval.html`.",
             "The minimums are those of `eval_thresholds.yml`, the same that `make test` and `bot train` hold every "
             "model to.",
             "", "## Per language", "", *_per_language(results), "", *_targets(results, report.get("thresholds") or {}),
             "", "## Since the previous report", "",
             "Differences with a 95% paired bootstrap interval (per language) or the flipped messages and an exact "
             "binomial test (per intent): `noise` when the interval includes zero.", "",
             summary(report["changes"]),
             "", "## Data since the previous report", "",
             *(change_lines(data, limit=200) if data is not None else ["Not recorded for the previous report."]),
             "", "## Training time", "", *_training(report.get("training") or {}),
             "", "## Most confused intents", ""]
    for code in [c for c in languages.SUPPORTED if c in results]:
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
                         + " | ".join(f"{row['macro_f1'].get(code, 0):.3f}" for code in languages.SUPPORTED) + " |")
    return "\n".join(lines) + "\n"
