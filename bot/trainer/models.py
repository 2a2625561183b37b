"""The trained models in models/: each under a version name with its record (figures, data, verdict), the one in
use copied to models/current.tar.gz (the path the stack loads), the last few kept for `bot models rollback`."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from bot.trainer.coverage import LANGUAGE_NEUTRAL_RESPONSES

CURRENT = "current.tar.gz"
POINTER = "current.json"
KEEP = 5


class ModelError(ValueError):
    """A version that does not exist or may not be used."""


@dataclass(frozen=True)
class Registry:
    folder: Path

    @property
    def current_model(self) -> Path:
        return self.folder / CURRENT

    def model(self, version: str) -> Path:
        return self.folder / f"{version}.tar.gz"

    def record_path(self, version: str) -> Path:
        return self.folder / f"{version}.json"

    def new_version(self) -> str:
        version = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        while self.model(version).exists() or self.record_path(version).exists():
            time.sleep(1)
            version = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        return version

    def record(self, version: str) -> dict[str, Any]:
        path = self.record_path(version)
        if not path.exists():
            raise ModelError(f"no model {version} in {self.folder} (see `bot models list`)")
        return json.loads(path.read_text(encoding="utf-8"))

    def save_record(self, record: dict[str, Any]) -> None:
        _write_atomically(self.record_path(record["version"]), json.dumps(record, ensure_ascii=False).encode())

    def versions(self) -> list[str]:
        """Every kept version, oldest first (version names sort by time)."""
        return sorted(p.name[:-len(".json")] for p in self.folder.glob("*.json")
                      if p.name != POINTER and self.model(p.name[:-len(".json")]).exists())

    def pointer(self) -> dict[str, Any]:
        path = self.folder / POINTER
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def current_version(self) -> Optional[str]:
        """The version models/current.tar.gz is a copy of (None when it is not one of ours, or missing)."""
        version = self.pointer().get("version")
        if not version or not self.current_model.exists() or not self.model(version).exists():
            return None
        return version if file_hash(self.current_model) == self.pointer().get("sha256") else None

    def make_current(self, version: str) -> None:
        """Copy the version to models/current.tar.gz in one step (a reader never sees half a file)."""
        missing = missing_variations(self.model(version))
        if missing:
            raise ModelError(f"{version} cannot be used: " + "; ".join(missing))
        temporary = self.folder / f".{CURRENT}.tmp"
        shutil.copyfile(self.model(version), temporary)
        os.replace(temporary, self.current_model)
        history = [v for v in self.pointer().get("history", []) if v != version] + [version]
        _write_atomically(self.folder / POINTER, json.dumps(
            {"version": version, "since": time.strftime("%Y-%m-%d %H:%M:%S"), "sha256": file_hash(self.current_model),
             "history": history}).encode())

    def previous_version(self) -> Optional[str]:
        """The model that was in use before the current one, if it is still kept."""
        current = self.current_version()
        kept = set(self.versions())
        earlier = [v for v in self.pointer().get("history", []) if v != current and v in kept]
        return earlier[-1] if earlier else None

    def prune(self, keep: int = KEEP) -> list[str]:
        """Remove all but the newest `keep` versions; the current one always stays."""
        current = self.current_version()
        versions = self.versions()
        removed = [v for v in versions[:-keep] if v != current] if keep > 0 else []
        for version in removed:
            self.model(version).unlink(missing_ok=True)
            self.record_path(version).unlink(missing_ok=True)
            (self.folder / f"{version}.log").unlink(missing_ok=True)
        return removed


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def model_domain(model: Path) -> dict[str, Any]:
    """The domain a trained model answers with (from the archive itself, not from domain.yml)."""
    with tarfile.open(model, "r:gz") as archive:
        member = next(m for m in archive.getmembers() if m.name.lstrip("./").endswith("domain_provider/domain.yml"))
        return yaml.safe_load(archive.extractfile(member).read().decode("utf-8")) or {}


def missing_variations(model: Path, codes: Optional[Sequence[str]] = None) -> list[str]:
    """Responses the model has no variation for in a language it serves: a customer would get no answer."""
    domain = model_domain(model)
    codes = list(codes or ((domain.get("slots") or {}).get("language") or {}).get("values") or [])
    missing = []
    for name, variations in (domain.get("responses") or {}).items():
        if name in LANGUAGE_NEUTRAL_RESPONSES:
            continue
        covered = {condition.get("value") for variation in variations or []
                   for condition in variation.get("condition") or []
                   if isinstance(condition, dict) and condition.get("name") == "language"}
        if any(not variation.get("condition") for variation in variations or []):
            continue  # a variation for everyone answers every language
        lacking = [code for code in codes if code not in covered]
        if lacking:
            missing.append(f"response '{name}' has no variation for {', '.join(lacking)}")
    return missing


def load_into_running_rasa(rasa_url: str, token: str, model: Path, timeout: float = 300) -> Optional[str]:
    """Rasa's `PUT /model`: a running server swaps to the model file without a restart. None when no Rasa
    answers there; otherwise what happened, in words."""
    url = f"{rasa_url.rstrip('/')}/model" + (f"?token={token}" if token else "")
    request = urllib.request.Request(url, data=json.dumps({"model_file": str(model.resolve())}).encode(),
                                     method="PUT", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return f"the running Rasa at {rasa_url} now uses it"
    except urllib.error.HTTPError as error:
        return f"the running Rasa at {rasa_url} refused it ({error.code}: {error.read()[:200].decode(errors='replace')})"
    except (urllib.error.URLError, OSError):
        return None
