"""reports/eval.html: the evaluation for a trainer's browser, with a confusion matrix per language."""
from __future__ import annotations

from html import escape
from typing import Any

from bot import languages
from bot.evaluation.markdown import pct

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
.better{color:#1a7f37}.worse{color:#c62828;font-weight:bold}
.fail{background:#fde8e8}.pass{background:#e8f6ec}img{max-width:100%;border:1px solid #ddd}q{color:#444}
section{border-top:1px solid #ddd;margin-top:2em}
"""


def _delta(rows: list[dict[str, Any]], code: str, figure: str) -> str:
    row = next((r for r in rows if r["language"] == code and r["figure"] == figure), None)
    if row is None or row["verdict"] == "same":
        return ""
    return f' <span class="{row["verdict"]}">({row["delta"]:+.3f})</span>'


def _summary_table(report: dict[str, Any]) -> str:
    results, rows, failed = report["results"], report["changes"], report.get("gate_failures") or []
    head = ("<tr><th>language</th><th>test messages</th><th>intent accuracy</th><th>macro-F1</th>"
            "<th>language ID</th><th>language ID, ≤3 words</th><th>gate</th></tr>")
    body = []
    for code in languages.SUPPORTED:
        r = results[code]
        failing = [f for f in failed if f.startswith(f"{code}:")]
        gate = "" if report.get("gate_failures") is None else ("below minimum" if failing else "passes")
        name = escape(languages.LANGUAGES[code].name)
        body.append(
            f'<tr class="{"fail" if failing else ""}"><td><a href="#{code}">{name}</a></td>'
            f"<td>{r['n']}</td><td>{pct(r['intent_accuracy'])}{_delta(rows, code, 'intent_accuracy')}</td>"
            f"<td>{r['intent_macro_f1']:.3f}{_delta(rows, code, 'intent_macro_f1')}</td>"
            f"<td>{pct(r['lid']['overall'])}{_delta(rows, code, 'language_id')}</td><td>{pct(r['lid']['short'])}</td>"
            f"<td>{gate}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _training(training: dict[str, Any]) -> str:
    if not training:
        return "<p>Not measured yet: run <code>make eval</code> (without --quick).</p>"
    items = [f"full training (empty cache): {training['full_seconds']:.0f} s",
             f"after adding examples (dialogue policies from the cache, NLU retrained): "
             f"{training['incremental_seconds']:.0f} s"]
    if "incremental_macro_f1" in training:
        items.append(f"macro-F1 of the retrained model {training['incremental_macro_f1']:.3f}, "
                     f"of the model under test {training['full_macro_f1']:.3f}")
    if training.get("measured"):
        items.append(f"measured {escape(training['measured'])}")
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _language_section(code: str, figures: dict[str, Any], chart: str) -> str:
    pairs = "".join(
        f"<li><b>{escape(c['gold'])}</b> taken for <b>{escape(c['predicted'])}</b> ×{c['count']}: "
        + ", ".join(f"<q>{escape(text)}</q>" for text in c["examples"]) + "</li>"
        for c in figures["worst_confusions"])
    return (f'<section id="{code}"><h2>{escape(languages.LANGUAGES[code].name)} ({code})</h2>'
            f"<p>Intent accuracy {pct(figures['intent_accuracy'])}, macro-F1 {figures['intent_macro_f1']:.3f}, "
            f"language ID {pct(figures['lid']['overall'])}, fallback {pct(figures['fallback_rate'])}.</p>"
            f"<h3>Most confused intents</h3><ul>{pairs or '<li>none</li>'}</ul>"
            f'<h3>Confusion matrix</h3><img src="{escape(chart)}" alt="confusion matrix, {code}"></section>')


def html_report(report: dict[str, Any], charts: dict[str, str]) -> str:
    failures = report.get("gate_failures")
    gate = "" if failures is None else (
        '<p class="pass">Every language meets its minimum.</p>' if not failures else
        '<div class="fail"><p>Below the minimum (eval_thresholds.yml):</p><ul>'
        + "".join(f"<li>{escape(f)}</li>" for f in failures) + "</ul></div>")
    moved = [r for r in report["changes"] if r["verdict"] != "same"]
    changes = ("<p>No previous report to compare with.</p>" if not report["changes"] else
               "<p>No figure moved by more than noise.</p>" if not moved else
               "<table><tr><th>language</th><th>figure</th><th>before</th><th>now</th><th></th></tr>" + "".join(
                   f'<tr><td>{r["language"]}</td><td>{r["figure"]}</td><td>{r["before"]:.3f}</td>'
                   f'<td>{r["after"]:.3f}</td><td class="{r["verdict"]}">{r["verdict"]} ({r["delta"]:+.3f})</td></tr>'
                   for r in moved) + "</table>")
    sections = "".join(_language_section(code, report["results"][code], charts[code]) for code in languages.SUPPORTED)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>NLU evaluation</title><style>{_STYLE}</style>"
            f"</head><body><h1>NLU evaluation</h1><p>Model <code>{escape(report['model'])}</code>, "
            f"{escape(report['generated'])}, on the held-out test sets <code>tests/data/&lt;lang&gt;.yml</code>.</p>"
            f"{gate}{_summary_table(report)}<h2>Since the previous report</h2>{changes}"
            f"<h2>Training time</h2>{_training(report.get('training') or {})}{sections}</body></html>\n")
