"""`bot eval`: per-language figures on the held-out test sets, compared with the previous report, written to
reports/eval.{md,json,html} with a confusion matrix per language, and checked against per-language minimums."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any, Optional

from bot import languages
from bot.evaluation import conversations, history
from bot.evaluation.charts import confusion_png
from bot.evaluation.gate import gate_failures, load_thresholds
from bot.evaluation.html import html_report
from bot.evaluation.markdown import markdown
from bot.evaluation.scoring import evaluate_model, held_out_examples
from bot.evaluation.timing import measure_training
from bot.trainer.promote import conversation_checks
from bot.trainer.snapshot import change_lines, data_changes, data_snapshot
from bot.evaluation.variants import VARIANTS, compare_variants


def _previous(reports: Path) -> dict[str, Any]:
    path = reports / "eval.json"
    try:
        return json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        return {}


def _training(root: Path, examples: list, full_macro_f1: float) -> dict[str, Any]:
    """Full and incremental training times, and the quality of the incrementally retrained model."""
    measured = measure_training(root)
    retrained = evaluate_model(Path(measured["model"]), examples, with_langdetect=False)
    shutil.rmtree(measured["work_dir"], ignore_errors=True)
    return {"full_seconds": measured["full_seconds"], "incremental_seconds": measured["incremental_seconds"],
            "incremental_macro_f1": round(retrained["all"]["intent_macro_f1"], 4),
            "full_macro_f1": round(full_macro_f1, 4), "measured": time.strftime("%Y-%m-%d %H:%M")}


def quiet_rasa() -> None:
    """Only warnings from Rasa: the per-message debug lines would bury the report."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def run_evaluation(root: Path, model: Path, quick: bool = False, variants: Optional[list[str]] = None,
                   thresholds: Optional[Path] = None, reports: Optional[Path] = None, cv: int = 0) -> int:
    """Quick: no variant comparison and no training-time measurement (the last measured times are kept)."""
    quiet_rasa()
    reports = reports or root / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    previous = _previous(reports)
    examples = held_out_examples(root)
    codes = [code for code in languages.SUPPORTED if any(e.language == code for e in examples)]
    data = data_snapshot(root, codes)
    limits = load_thresholds(thresholds or root / "eval_thresholds.yml") if (thresholds or
                                                                              root / "eval_thresholds.yml").exists() else {}
    print(f"Evaluating {model.name} on {len(examples)} held-out messages ...", flush=True)
    results = evaluate_model(model, examples)
    comparison = [] if quick else compare_variants(root, examples, variants or VARIANTS)
    training = previous.get("training") if quick else _training(root, examples, results["all"]["intent_macro_f1"])
    report = {
        "model": str(model.name), "generated": time.strftime("%Y-%m-%d %H:%M"), "results": results,
        "changes": history.changes(previous.get("results"), results, codes),
        "data": data, "data_changes": data_changes(previous["data"], data) if previous.get("data") else None,
        "thresholds": limits, "failures": gate_failures(results, limits),
        "comparison": comparison or previous.get("comparison") or [], "training": training or {},
    }
    report["language"], language_failures = conversation_checks(model, root)
    report["failures"] += language_failures
    charts = {code: str(confusion_png(results[code]["confusion"], f"{languages.LANGUAGES[code].name}: intents",
                                      reports / "eval" / f"confusion-{code}.png").relative_to(reports))
              for code in codes}
    if previous:
        (reports / "eval-previous.json").write_text(json.dumps(previous, indent=2, ensure_ascii=False))
    if cv:
        from bot.evaluation.cv import cross_validate

        print(f"Cross-validating the training data in {cv} folds ...", flush=True)
        report["cv"] = cross_validate(root, codes, cv)
    (reports / "eval.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (reports / "eval.md").write_text(markdown(report) + conversations.markdown(report["language"]))
    (reports / "eval.html").write_text(html_report(report, charts))
    print(conversations.console(report["language"]) if report["language"] else "")
    print(_console(report, reports))
    return 1 if thresholds and report["failures"] else 0


def _console(report: dict[str, Any], reports: Path) -> str:
    results = report["results"]
    limits = report["thresholds"]
    lines = [f"{'lang':5} {'n':>4} {'intent acc.':>11} {'macro-F1 (min)':>15} {'language ID (min)':>18}"]
    for code in [c for c in languages.SUPPORTED if c in results]:
        r = results[code]
        f1_min, lid_min = (limits.get(f, {}).get(code) for f in ("intent_macro_f1", "language_id"))
        lines.append(f"{code:5} {r['n']:>4} {100 * r['intent_accuracy']:>10.1f}% {r['intent_macro_f1']:>7.3f} "
                     f"({'-' if f1_min is None else f'{f1_min:.3f}'}) {100 * r['lid']['overall']:>8.1f}% "
                     f"({'-' if lid_min is None else f'{100 * lid_min:.1f}%'})")
    lines.append(f"{'all':5} {'':>11} {results['all']['intent_macro_f1']:>9.3f} "
                 f"{100 * results['all']['lid']['overall']:>11.1f}%")
    lines += ["", "Since the previous report:", history.summary(report["changes"])]
    if report["data_changes"] is not None:
        lines += ["", "Data since the previous report:", *change_lines(report["data_changes"], limit=10)]
    if report["training"]:
        lines.append(f"\nTraining: full {report['training']['full_seconds']:.0f} s, after adding examples "
                     f"{report['training']['incremental_seconds']:.0f} s")
    lines.append("\nMinimums (eval_thresholds.yml): " + ("every language meets them." if not report["failures"] else
                                                          "NOT MET\n  " + "\n  ".join(report["failures"])))
    if report.get("cv"):
        from bot.evaluation.cv import cv_lines

        tested: dict[str, dict[str, int]] = {}
        for code, figures in results.items():
            for intent, row in (figures.get("per_intent") or {}).items():
                tested.setdefault(code, {})[intent] = row["n"]
        lines += ["", *cv_lines(report["cv"], tested)]
    lines.append(f"\nReport: {reports / 'eval.html'} (open it in a browser), {reports / 'eval.md'}")
    return "\n".join(lines)
