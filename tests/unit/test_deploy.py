"""The deployment files are valid and say what production needs, checked offline: the Kubernetes manifests as
kustomize renders them against the Kubernetes schemas (kubernetes-validate), compose.yaml against the Compose
Specification's schema, the Dockerfile with hadolint. (No container registry is reachable here, so nothing is
built or run: the multi-process fault suite, make bench-faults, proves the behaviour.)"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from bot.settings import PROJECT_ROOT

K8S = PROJECT_ROOT / "deploy/k8s"
KUBERNETES_VERSION = "1.28.0"  # the newest schemas kubernetes-validate 1.28.3 ships (the API kinds used are GA)


def kustomize(directory: Path) -> list[dict]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl (with its built-in kustomize) is needed to render deploy/k8s")
    rendered = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=120)
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    return [doc for doc in yaml.safe_load_all(rendered.stdout) if doc]


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The production overlay, with the Secret's environment file made up as an operator would write it."""
    copy = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(K8S, copy)
    shutil.copy(copy / "secrets.env.example", copy / "overlays/production/secrets.env")
    return kustomize(copy / "overlays/production")


@pytest.fixture(scope="module")
def base() -> list[dict]:
    return kustomize(K8S / "base")


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def test_every_manifest_is_valid_against_the_kubernetes_schemas(base, production):
    for doc in base + production:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)  # raises with the field at fault
    assert {doc["kind"] for doc in production} >= {
        "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap", "Secret", "Ingress",
        "Namespace"}


def test_a_broken_manifest_is_caught():
    deployment = next(doc for doc in yaml.safe_load_all((K8S / "base/rasa.yaml").read_text())
                      if doc["kind"] == "Deployment")
    deployment["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_deployments_are_probed_scaled_and_kept_available(production):
    deployments = by_kind(production, "Deployment")
    assert set(deployments) == {"rasa", "actions", "desk"}  # the demo order system is not in production
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["readinessProbe"]["httpGet"]["path"].endswith("/readyz"), name
        assert container["livenessProbe"]["httpGet"]["path"].endswith("/healthz"), name
        assert pod["securityContext"]["runAsNonRoot"] and container["securityContext"]["readOnlyRootFilesystem"]
        sources = {next(iter(source.values()))["name"] for source in container["envFrom"]}
        assert any(name.startswith("shop-assistant-") for name in sources), "the Secret is not used"
    assert deployments["rasa"]["spec"]["replicas"] >= 2 and deployments["actions"]["spec"]["replicas"] >= 2
    scaled = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in by_kind(production, "HorizontalPodAutoscaler").values()}
    assert scaled >= {"rasa", "actions"}
    for budget in by_kind(production, "PodDisruptionBudget").values():
        selected = budget["spec"]["selector"]["matchLabels"]
        assert any(d["spec"]["selector"]["matchLabels"] == selected for d in deployments.values()), budget


def test_no_secret_value_is_in_the_repository():
    for path in K8S.rglob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "Secret":
                raise AssertionError(f"{path} holds a Secret: secrets come from the environment")
    secret_lines = [line for line in (K8S / "secrets.env.example").read_text().splitlines()
                    if line and not line.startswith("#")]
    assert all(line.endswith("change-me") or "change-me" in line or "SENTINEL" in line or "MASTER" in line
               for line in secret_lines), secret_lines


def test_compose_file_follows_the_compose_specification():
    schema = json.loads((PROJECT_ROOT / "deploy/schemas/compose-spec.json").read_text())
    compose = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text())
    validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)(schema)
    validator.validate(compose)
    broken = {**compose, "services": {**compose["services"], "redis": {**compose["services"]["redis"], "ports": 6379}}}
    assert not validator.is_valid(broken)
    services = compose["services"]
    assert {"rasa-1", "rasa-2", "actions-1", "actions-2", "lb", "desk", "orders", "redis"} <= set(services)
    assert "--appendonly" in services["redis"]["command"] and "yes" in services["redis"]["command"]
    assert services["desk"]["environment"]["RASA_URL"] == "http://lb:5005"


def test_dockerfile_is_multi_stage_non_root_and_lints_clean():
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert dockerfile.count("\nFROM ") + dockerfile.startswith("FROM ") >= 2
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and not users[-1].startswith(("0", "root"))
    assert "models/current.tar.gz" in dockerfile
    hadolint = Path(sys.executable).parent / "hadolint"
    linted = subprocess.run([str(hadolint), "--failure-threshold", "warning", str(PROJECT_ROOT / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert linted.returncode == 0, linted.stdout + linted.stderr
