"""`bot train` (what `make train` runs): validate the data, train a new model under a version name, measure it
on the held-out test sets, and make it models/current.tar.gz only when no language got worse than the current
model by more than noise, every language meets eval_thresholds.yml and every response has every language."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import yaml

from bot import languages
from bot.evaluation.compare import compare, comparison_lines, worse
from bot.evaluation.gate import gate_failures, load_thresholds
from bot.trainer.models import KEEP, ModelError, Registry, missing_variations
from bot.trainer.snapshot import change_lines, data_changes, data_snapshot

THRESHOLDS = "eval_thresholds.yml"


@dataclass
class Outcome:
    promoted: bool
    version: Optional[str] = None
    reasons: list[str] = field(default_factory=list)


def quiet_environment() -> dict[str, str]:
    """No TensorFlow/CUDA start-up lines, no telemetry."""
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}


def train_model(root: Path, out: Path, version: str, verbose: bool = False) -> Optional[Path]:
    """`rasa train` into out/<version>.tar.gz; its output goes to out/<version>.log (or the terminal with -v)."""
    rasa = str(Path(sys.executable).parent / "rasa")
    command = [rasa, "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
               "--out", str(out.resolve()), "--fixed-model-name", version]
    log = out / f"{version}.log"
    with log.open("w", encoding="utf-8") as handle:
        result = subprocess.run(command, cwd=root, env=quiet_environment(), text=True,
                                stdout=None if verbose else handle, stderr=subprocess.STDOUT if not verbose else None)
    model = out / f"{version}.tar.gz"
    if result.returncode != 0 or not model.exists():
        if not verbose:
            print(log.read_text(encoding="utf-8", errors="replace")[-3000:], file=sys.stderr)
        return None
    return model


def measure(model: Path, root: Path, verbose: bool = False) -> dict[str, Any]:
    """Per-language figures and per-message predictions on tests/data (no plain-langdetect comparison); the
    libraries' deprecation warnings only with -v."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from bot.evaluation.report import quiet_rasa
        from bot.evaluation.scoring import evaluate_model, held_out_examples

        quiet_rasa()  # sets Rasa's own warning filters, so ours come after it
        if not verbose:
            warnings.simplefilter("ignore")
        else:
            warnings.resetwarnings()
        return evaluate_model(model, held_out_examples(root), with_langdetect=False)


def adopt_current(registry: Registry, root: Path, codes: Sequence[str]) -> Optional[str]:
    """A models/current.tar.gz trained before versions existed (or by hand) becomes a version, so that it can
    be compared with and rolled back to."""
    current = registry.current_model
    if not current.exists():
        return None
    version = registry.current_version()
    if version:
        return version
    version = time.strftime("%Y%m%d-%H%M%S", time.gmtime(current.stat().st_mtime))
    if not registry.model(version).exists():
        shutil.copyfile(current, registry.model(version))
    print(f"models/{current.name} has no record yet: keeping it as version {version} and measuring it ...",
          flush=True)
    try:
        results, note = measure(current, root), "in use before versioned models"
    except Exception as error:  # trained by other code: still kept to go back to, but not comparable
        results, note = {}, f"in use before versioned models; this code cannot measure it ({type(error).__name__})"
        print(f"  it cannot be measured with this code ({type(error).__name__}: {error}); the new model is held to "
              f"{THRESHOLDS} only", flush=True)
    registry.save_record({"version": version, "created": time.strftime("%Y-%m-%d %H:%M", time.gmtime(
        current.stat().st_mtime)), "status": "promoted", "reasons": [note], "results": results, "data": {}})
    registry.make_current(version)
    return version


def conversation_checks(model: Path, root: Path, verbose: bool = False) -> tuple[dict[str, Any], list[str]]:
    """The multi-turn conversation and language figures of bot.evaluation.conversations, and the minimums of the
    `language:` section of eval_thresholds.yml they miss. When they cannot run, why (they then stop nothing)."""
    path = root / THRESHOLDS
    minimums = ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("language") or {}) if path.exists() \
        else {}
    if not (root / "tests/conversations").exists():
        return {}, []
    try:
        from bot.evaluation import conversations
        from bot.evaluation.scoring import held_out_examples

        with warnings.catch_warnings():
            warnings.simplefilter("ignore" if not verbose else "default")
            figures = conversations.evaluate_language(root, model, held_out_examples(root))
        return figures, conversations.gate_failures(figures, minimums)
    except Exception as error:  # another team's evaluation failing must not block every training
        print(f"  the conversation checks could not run ({type(error).__name__}: {error})", flush=True)
        return {}, []


def decide(record: dict[str, Any], baseline: Optional[dict[str, Any]], thresholds: dict[str, dict[str, float]],
           missing: list[str], codes: Sequence[str]) -> list[str]:
    """Why the model must not be promoted (empty: it may)."""
    reasons = [f"{m} (customers would get no answer)" for m in missing]
    reasons += [f"below the minimum in {THRESHOLDS}: {f}" for f in gate_failures(record["results"], thresholds)]
    if baseline and baseline.get("results"):
        comparison = compare(baseline["results"], record["results"], list(codes))
        record["comparison"] = comparison
        reasons += [f"worse than the current model: {w}" for w in worse(comparison)]
    return reasons


def train_and_promote(root: Path, models: Path, codes: Sequence[str] = languages.SUPPORTED, keep: int = KEEP,
                      verbose: bool = False, validate_first: bool = True,
                      reload: Optional[Callable[[Path], Optional[str]]] = None) -> Outcome:
    from bot.trainer.validate import validate

    root = root.resolve()
    if validate_first:
        print("Validating the data ...", flush=True)
        report = validate(root, codes)
        if not report.ok:
            print(report.text())
            return Outcome(False, reasons=[f"{len(report.errors)} data error(s): nothing was trained"])
        print(f"  0 errors, {len(report.warnings)} warning(s)" + (" (`bot validate` lists them)" if report.warnings
                                                                   else ""), flush=True)
    models.mkdir(parents=True, exist_ok=True)
    registry = Registry(models)
    current = adopt_current(registry, root, codes)
    version = registry.new_version()
    started = time.perf_counter()
    print(f"Training {version} ...", flush=True)
    model = train_model(root, models, version, verbose)
    if model is None:
        return Outcome(False, version, ["training failed (see above)"])
    print(f"  trained in {time.perf_counter() - started:.0f} s (log: {models.name}/{version}.log)", flush=True)
    print("Measuring it on the held-out test sets ...", flush=True)
    record = {"version": version, "created": time.strftime("%Y-%m-%d %H:%M"), "results": measure(model, root, verbose),
              "data": data_snapshot(root, codes), "compared_with": current}
    baseline = registry.record(current) if current else None
    thresholds_file = root / THRESHOLDS
    thresholds = load_thresholds(thresholds_file) if thresholds_file.exists() else {}
    reasons = decide(record, baseline, thresholds, missing_variations(model, codes), codes)
    record["conversations"], failed = conversation_checks(model, root, verbose)
    reasons += [f"conversation checks: {f}" for f in failed]
    known = bool(baseline and baseline.get("data"))
    record["data_changes"] = data_changes(baseline["data"], record["data"]) if known else []
    record.update(status="refused" if reasons else "promoted", reasons=reasons)
    registry.save_record(record)
    if "comparison" in record:
        print(f"\nCompared with {current} (the current model):", *comparison_lines(record["comparison"]), sep="\n")
        print(f"\nData since {current}:", *(change_lines(record["data_changes"]) if known else
                                           ["not recorded for that model (trained before versions)"]), sep="\n")
    if reasons:
        print(f"\nNOT promoted: models/current.tar.gz is still {current or 'missing'}.", *(f"  {r}" for r in reasons),
              f"The new model stays as {models.name}/{version}.tar.gz (`bot models diff {current} {version}`).",
              sep="\n")
        registry.prune(keep)
        return Outcome(False, version, reasons)
    registry.make_current(version)
    removed = registry.prune(keep)
    print(f"\nPromoted: models/current.tar.gz is now {version}"
          + (f" (the previous one is kept: `bot models rollback` puts {current} back)" if current else "") + "."
          + (f" Removed old versions: {', '.join(removed)}." if removed else ""))
    if reload:
        said = reload(registry.current_model)
        print(f"  {said}." if said else "  (no running Rasa to reload: it loads the new model when it starts)")
    return Outcome(True, version)


def rollback(models: Path, version: Optional[str] = None,
             reload: Optional[Callable[[Path], Optional[str]]] = None) -> str:
    """Put a kept version (default: the one before the current) back as models/current.tar.gz."""
    registry = Registry(models)
    version = version or registry.previous_version()
    if not version:
        raise ModelError("no earlier model is kept to go back to (see `bot models list`)")
    if not registry.model(version).exists():
        raise ModelError(f"no model {version} in {models} (see `bot models list`)")
    registry.make_current(version)
    said = reload(registry.current_model) if reload else None
    return (f"models/current.tar.gz is now {version}. "
            + (f"{said[0].upper()}{said[1:]}." if said else "No running Rasa answered: it loads this model when it "
                                                            "starts."))
