"""Rasa's own story test in several languages, with the trained model (NLU and dialogue together)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_multilingual_test_stories_pass(project_root, tmp_path):
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [str(rasa), "test", "core", "--model", "models/current.tar.gz", "--stories", "tests/stories",
         "--out", str(tmp_path), "--fail-on-prediction-errors", "--no-plot"],
        cwd=project_root, capture_output=True, text=True, timeout=600,
    )
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
