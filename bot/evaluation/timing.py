"""How long a full training takes, and a retraining after a trainer added examples.

`rasa train` caches every graph node by the fingerprint of its inputs (RASA_CACHE_DIRECTORY). New NLU examples
change the NLU nodes only: the dialogue policies (TED is most of the time) come from the cache, and the NLU part,
which trains in seconds, is retrained from scratch, so the model is the one a full training would give.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_FILES = ("config.yml", "domain.yml", "data")
ADDED_EXAMPLE = "    - hello, I have one more question\n"


def _train(project: Path, cache: Path, out: Path) -> tuple[Path, float]:
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache), "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [str(Path(sys.executable).parent / "rasa"), "train", "--config", "config.yml", "--domain", "domain.yml",
               "--data", "data", "--out", str(out), "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    return max(out.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime), seconds


def add_example(nlu_file: Path) -> None:
    """One new greeting at the top of the first intent block, as a trainer would add it."""
    lines = nlu_file.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(index for index, line in enumerate(lines) if line.strip().startswith("- ") and "intent:" not in line
                 and index > 0 and lines[index - 1].strip() == "examples: |")
    nlu_file.write_text("".join(lines[:first] + [ADDED_EXAMPLE] + lines[first:]), encoding="utf-8")


def measure_training(root: Path) -> dict[str, Any]:
    """Seconds for a full training (empty cache) and for a retraining after one new example (warm cache),
    in a copy of the project; the retrained model is returned for the caller to evaluate."""
    work = Path(tempfile.mkdtemp(prefix="bot-train-"))
    project = work / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    _, full = _train(project, work / "cache", work / "full")
    add_example(project / "data/nlu/en.yml")
    model, incremental = _train(project, work / "cache", work / "incremental")
    return {"full_seconds": round(full, 1), "incremental_seconds": round(incremental, 1), "model": str(model),
            "work_dir": str(work)}
