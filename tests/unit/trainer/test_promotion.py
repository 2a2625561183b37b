"""`bot train` promotes a model only when the data is valid and no language got worse; `bot models rollback` puts
the previous one back, and a running Rasa picks it up without a restart. Real trainings of a small project."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import pytest
import yaml

from bot.services import free_port, http_ok, wait_until
from bot.trainer.models import Registry, file_hash, missing_variations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures/trainer"
# A featurizer that may keep one word only: a real configuration mistake that makes a model much worse.
CRIPPLED = {"name": "CountVectorsFeaturizer", "max_features": 1}


def bot(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=root, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})})


def train(root: Path) -> subprocess.CompletedProcess:
    return bot(root, "train", "--root", str(root), "--models", str(root / "models"), "--languages", "en,pl")


def set_pipeline(root: Path, crippled: bool) -> None:
    """The fixture's configuration, dialogue by rules only (fast); the featurizers crippled or not."""
    config = yaml.safe_load((FIXTURES / "clean/config.yml").read_text())
    config["policies"] = [{"name": "RulePolicy"}]
    if crippled:
        config["pipeline"] = [dict(CRIPPLED) if step["name"] == "CountVectorsFeaturizer" else step
                              for step in config["pipeline"]]
    (root / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False))


def model_id(model: Path) -> str:
    with tarfile.open(model) as archive:
        member = next(m for m in archive.getmembers() if m.name.lstrip("/") == "metadata.json")
        return json.loads(archive.extractfile(member).read())["model_id"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("promotion") / "project"
    shutil.copytree(FIXTURES / "clean", root)
    return root


def test_first_model_is_promoted_broken_data_stops_training_a_worse_model_is_refused_a_better_one_accepted(project):
    registry = Registry(project / "models")
    set_pipeline(project, crippled=True)
    first = train(project)
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    assert "Promoted: models/current.tar.gz is now" in first.stdout
    weak = registry.current_version()
    assert weak and registry.current_model.exists()
    assert "TensorFlow" not in first.stdout + first.stderr and "is not used in any story" not in first.stdout

    # A language's test file missing: nothing is trained, the current model stays.
    held_out = (project / "tests/data/pl.yml").read_text()
    (project / "tests/data/pl.yml").unlink()
    broken = train(project)
    (project / "tests/data/pl.yml").write_text(held_out)
    assert broken.returncode == 1 and "tests/data/pl.yml: missing" in broken.stdout
    assert registry.current_version() == weak and registry.versions() == [weak]

    # A test message that is also a training example: the same.
    (project / "tests/data/pl.yml").write_text(held_out.replace("    - witam, jest ktoś\n", "    - witam serdecznie\n"))
    leaked = train(project)
    (project / "tests/data/pl.yml").write_text(held_out)
    assert leaked.returncode == 1 and "“witam serdecznie” is the same as the training example" in leaked.stdout
    assert registry.current_version() == weak and registry.versions() == [weak]

    set_pipeline(project, crippled=False)
    better = train(project)
    assert better.returncode == 0, better.stdout + better.stderr[-3000:]
    good = registry.current_version()
    assert good != weak
    assert "better" in better.stdout  # the comparison names what improved, with its interval

    set_pipeline(project, crippled=True)
    worse = train(project)
    assert worse.returncode == 1
    assert "NOT promoted" in worse.stdout and "worse than the current model" in worse.stdout
    assert registry.current_version() == good
    assert [registry.record(v)["status"] for v in registry.versions()] == ["promoted", "promoted", "refused"]
    listed = bot(project, "models", "--models", str(project / "models"), "list").stdout
    assert listed.count("promoted") == 2 and "refused" in listed and "← current" in listed


def test_rollback_restores_the_previous_model_in_a_running_rasa(project):
    registry = Registry(project / "models")
    current, previous = registry.current_version(), registry.previous_version()
    assert current and previous, "runs after the promotion test, which leaves two promoted models"
    port, token = free_port(), secrets.token_urlsafe(12)
    log = (project / "rasa.log").open("w")
    rasa = subprocess.Popen(
        [str(Path(sys.executable).parent / "rasa"), "run", "--enable-api", "--model", str(registry.current_model),
         "--port", str(port), "--interface", "127.0.0.1", f"--auth-token={token}"],
        cwd=project, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    try:
        status_url = f"http://127.0.0.1:{port}/status?token={token}"
        try:
            wait_until(lambda: http_ok(status_url), 180, "Rasa", rasa)
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"{error}: {(project / 'rasa.log').read_text()[-3000:]}")

        def running_model() -> str:
            with urllib.request.urlopen(status_url, timeout=10) as response:
                return json.loads(response.read())["model_id"]

        assert running_model() == model_id(registry.model(current))
        result = bot(project, "models", "--models", str(project / "models"), "rollback",
                     env={"RASA_URL": f"http://127.0.0.1:{port}", "RASA_AUTH_TOKEN": token})
        assert result.returncode == 0, result.stdout + result.stderr
        assert "now uses it" in result.stdout
        assert running_model() == model_id(registry.model(previous))
        assert registry.current_version() == previous
        assert file_hash(registry.current_model) == file_hash(registry.model(previous))
    finally:
        rasa.terminate()
        rasa.wait(30)
        log.close()


def test_a_model_without_a_response_in_one_language_can_never_become_current(project, tmp_path):
    registry = Registry(project / "models")
    version = registry.current_version()
    assert missing_variations(registry.model(version)) == []
    # The same model with the Polish answer to greetings taken out of its domain.
    unpacked = tmp_path / "unpacked"
    with tarfile.open(registry.model(version)) as archive:
        archive.extractall(unpacked)
    domain_file = unpacked / "components/domain_provider/domain.yml"
    domain = yaml.safe_load(domain_file.read_text())
    domain["responses"]["utter_greet"] = [v for v in domain["responses"]["utter_greet"]
                                          if v["condition"][0]["value"] != "pl"]
    domain_file.write_text(yaml.safe_dump(domain))
    lacking = registry.model("29990101-000000")
    with tarfile.open(lacking, "w:gz") as archive:
        archive.add(unpacked, arcname="")
    shutil.copy(registry.record_path(version), registry.record_path("29990101-000000"))
    assert missing_variations(lacking) == ["response 'utter_greet' has no variation for pl"]
    refused = bot(project, "models", "--models", str(project / "models"), "rollback", "29990101-000000")
    assert refused.returncode == 2 and "utter_greet" in refused.stderr
    assert registry.current_version() == version
