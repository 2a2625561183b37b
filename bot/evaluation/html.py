"""reports/eval.html: the evaluation for a trainer's browser, with a confusion matrix per language."""
from __future__ import annotations

from html import escape
from typing import Any

from bot import languages
from bot.evaluation.compare import noise_mark
from bot.evaluation.markdown import pct

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
.better{color:#1a7f37}.worse{color:#c62828;font-weight:bold}.noise{color:#777}
.fail{background:#fde8e8}.pass{background:#e8f6ec}img{max-width:100%;border:1px solid #ddd}q{color:#444}
section{border-top:1px solid #ddd;margin-top:2em}
"""


def _delta(rows: list[dict[str, Any]], code: str, figure: str) -> str:
    row = next((r for r in rows if r["language"] == code and r["figure"] == figure), None)
    if row is None or row["verdict"] == "same":
        return ""
    interval = f"95% interval {row['low']:+.3f} to {row['high']:+.3f}" if "low" in row else ""
    return f' <span class="{row["verdict"]}" title="{interval}">({row["delta"]:+.3f} {row["verdict"]})</span>'


def _summary_table(report: dict[str, Any]) -> str:
    results, rows, failed = report["results"], report["changes"]["languages"], report.get("failures") or []
    head = ("<tr><th>language</th><th>test messages</th><th>intent accuracy</th><th>macro-F1</th>"
            "<th>language ID</th><th>language ID, ≤3 words</th><th>gate</th></tr>")
    body = []
    for code in [c for c in languages.SUPPORTED if c in results]:
        r = results[code]
        failing = [f for f in failed if f.startswith(f"{code}:")]
        gate = "below minimum" if failing else "meets the minimums" if report.get("thresholds") else ""
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


def _intent_table(code: str, figures: dict[str, Any], moved: list[dict[str, Any]]) -> str:
    """Every intent of the language: test messages, right answers and F1, before and after where it moved."""
    changed = {r["intent"]: r for r in moved if r["language"] == code}
    rows = []
    for intent, f in sorted((figures.get("per_intent") or {}).items()):
        r = changed.get(intent)
        before = f"{r['correct_before']}/{r['n']}, F1 {r['f1_before']:.3f}" if r else ""
        mark = f'<td class="{"worse" if r["delta_f1"] < 0 and r["significant"] else "noise"}">{escape(noise_mark(r))}' \
               "</td>" if r else "<td></td>"
        rows.append(f"<tr><td>{escape(intent)}</td><td>{f['n']}</td><td>{f['correct']}/{f['n']}</td>"
                    f"<td>{f['f1']:.3f}</td><td>{before}</td>{mark}</tr>")
    return ("<table><tr><th>intent</th><th>test messages</th><th>right</th><th>F1</th><th>before</th>"
            "<th>difference</th></tr>" + "".join(rows) + "</table>")


def _misclassified(figures: dict[str, Any]) -> str:
    wrong = [m for m in figures.get("messages") or [] if m["predicted"] != m["intent"]]
    if not wrong:
        return "<p>None.</p>"
    return ("<table><tr><th>message</th><th>its intent</th><th>the bot chose</th><th>confidence</th></tr>" + "".join(
        f"<tr><td><q>{escape(m['text'])}</q></td><td>{escape(m['intent'])}</td><td>{escape(str(m['predicted']))}</td>"
        f"<td>{m['confidence']:.2f}</td></tr>" for m in sorted(wrong, key=lambda m: (m["intent"], -m["confidence"])))
        + "</table>")


def _language_section(code: str, figures: dict[str, Any], chart: str, moved: list[dict[str, Any]]) -> str:
    pairs = "".join(
        f"<li><b>{escape(c['gold'])}</b> taken for <b>{escape(c['predicted'])}</b> ×{c['count']}: "
        + ", ".join(f"<q>{escape(text)}</q>" for text in c["examples"]) + "</li>"
        for c in figures["worst_confusions"])
    return (f'<section id="{code}"><h2>{escape(languages.LANGUAGES[code].name)} ({code})</h2>'
            f"<p>Intent accuracy {pct(figures['intent_accuracy'])}, macro-F1 {figures['intent_macro_f1']:.3f}, "
            f"language ID {pct(figures['lid']['overall'])}, fallback {pct(figures['fallback_rate'])}.</p>"
            f"<h3>Intents</h3>{_intent_table(code, figures, moved)}"
            f"<h3>Misclassified test messages ({sum(m['predicted'] != m['intent'] for m in figures.get('messages') or [])})"
            f"</h3>{_misclassified(figures)}"
            f"<h3>Most confused intents</h3><ul>{pairs or '<li>none</li>'}</ul>"
            f'<h3>Confusion matrix</h3><img src="{escape(chart)}" alt="confusion matrix, {code}"></section>')


def _changes(report: dict[str, Any]) -> str:
    changed = report["changes"]
    if not changed["languages"]:
        return "<p>No previous report to compare with.</p>"
    moved = [r for r in changed["languages"] if r["verdict"] != "same"]
    html = ("<p>Per language: the difference and its 95% paired bootstrap interval; per intent: the messages that "
            "flipped and an exact binomial test. <em>noise</em>: the interval includes zero.</p>")
    html += "<p>No figure moved.</p>" if not moved else (
        "<table><tr><th>language</th><th>figure</th><th>test messages</th><th>before</th><th>now</th>"
        "<th>difference [interval]</th></tr>" + "".join(
            f'<tr><td>{r["language"]}</td><td>{r["figure"]}</td><td>{r.get("n", "")}</td><td>{r["before"]:.3f}</td>'
            f'<td>{r["after"]:.3f}</td><td class="{r["verdict"]}">{escape(noise_mark(r) if "low" in r else r["verdict"])}'
            "</td></tr>" for r in moved) + "</table>")
    if changed["intents"]:
        html += ("<table><tr><th>language</th><th>intent</th><th>right before</th><th>right now</th><th>F1 before</th>"
                 "<th>F1 now</th><th>difference</th></tr>" + "".join(
                     f'<tr><td>{r["language"]}</td><td>{escape(r["intent"])}</td><td>{r["correct_before"]}/{r["n"]}</td>'
                     f'<td>{r["correct_after"]}/{r["n"]}</td><td>{r["f1_before"]:.3f}</td><td>{r["f1_after"]:.3f}</td>'
                     f'<td>{escape(noise_mark(r))}</td></tr>' for r in changed["intents"]) + "</table>")
    for code, c in changed["test_set"].items():
        html += (f"<p><b>The {code} test set changed</b>: {c['before']} → {c['after']} messages (+{c['added']} "
                 f"−{c['removed']}); compared on the messages both reports measured.</p>")
    return html


def _data_changes(rows: Any) -> str:
    if rows is None:
        return "<p>Not recorded for the previous report.</p>"
    if not rows:
        return "<p>No example added, removed or moved.</p>"
    return ("<table><tr><th>set</th><th>language</th><th>change</th><th>intent</th><th>example</th></tr>" + "".join(
        f"<tr><td>{r['set']}</td><td>{r['language']}</td><td>{r['change']}</td>"
        f"<td>{escape(r.get('from', '') + ' → ' if r['change'] == 'moved' else '')}{escape(r['intent'])}</td>"
        f"<td><q>{escape(r['text'])}</q></td></tr>" for r in rows) + "</table>")


def html_report(report: dict[str, Any], charts: dict[str, str]) -> str:
    failures = report.get("failures") or []
    gate = "" if not report.get("thresholds") else (
        '<p class="pass">Every language meets its minimums (eval_thresholds.yml).</p>' if not failures else
        '<div class="fail"><p>Below the minimum (eval_thresholds.yml):</p><ul>'
        + "".join(f"<li>{escape(f)}</li>" for f in failures) + "</ul></div>")
    changes = _changes(report) + "<h2>Data since the previous report</h2>" + _data_changes(report.get("data_changes"))
    moved = report["changes"]["intents"]
    sections = "".join(_language_section(code, report["results"][code], charts[code], moved)
                       for code in languages.SUPPORTED if code in charts)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>NLU evaluation</title><style>{_STYLE}</style>"
            f"</head><body><h1>NLU evaluation</h1><p>Model <code>{escape(report['model'])}</code>, "
            f"{escape(report['generated'])}, on the held-out test sets <code>tests/data/&lt;lang&gt;.yml</code>.</p>"
            f"{gate}{_summary_table(report)}<h2>Since the previous report</h2>{changes}"
            f"<h2>Training time</h2>{_training(report.get('training') or {})}{sections}</body></html>\n")
