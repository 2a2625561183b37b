"""`bot models list|diff|rollback`: the kept models, what changed between two, and going back to one."""
from __future__ import annotations

from pathlib import Path

from bot import languages
from bot.evaluation.compare import compare, comparison_lines
from bot.trainer.models import Registry
from bot.trainer.snapshot import change_lines, data_changes


def list_models(models: Path) -> str:
    registry = Registry(models)
    current = registry.current_version()
    versions = registry.versions()
    if not versions:
        return f"No versioned models in {models} yet: `make train` makes one."
    lines = [f"{'version':17} {'created':17} {'status':9} {'macro-F1':>8}  " + " ".join(f"{c:>5}" for c in
                                                                                   languages.SUPPORTED)]
    for version in reversed(versions):
        record = registry.record(version)
        results = record.get("results") or {}
        per_language = " ".join(f"{results[c]['intent_macro_f1']:>5.3f}" if c in results else f"{'-':>5}"
                                for c in languages.SUPPORTED)
        overall = (results.get("all") or {}).get("intent_macro_f1")
        lines.append(f"{version:17} {record.get('created', ''):17} {record.get('status', ''):9} "
                     f"{overall if overall is None else f'{overall:.3f}':>8}  {per_language}"
                     + ("  ← current" if version == current else ""))
        if record.get("status") == "refused":
            lines += [f"{'':17} {reason}" for reason in record.get("reasons", [])[:3]]
    if current is None and registry.current_model.exists():
        lines.append("models/current.tar.gz is not one of these versions (trained another way).")
    return "\n".join(lines)


def diff_models(models: Path, old: str, new: str) -> str:
    registry = Registry(models)
    before, after = registry.record(old), registry.record(new)
    comparison = compare(before.get("results"), after.get("results") or {}, list(languages.SUPPORTED))
    data = (change_lines(data_changes(before["data"], after["data"])) if before.get("data") and after.get("data")
            else ["Not recorded for both (a model adopted from before versions)."])
    return "\n".join([f"{old} → {new}", *comparison_lines(comparison), "", "Data:", *data])
