"""Variants of config.yml's NLU pipeline, each trained and measured on the same data: the choices behind it."""
from __future__ import annotations

import copy
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bot import languages
from bot.evaluation.metrics import Example
from bot.evaluation.scoring import evaluate_model


def _variant(config: dict, name: str) -> dict:
    variant = copy.deepcopy(config)
    pipeline = variant["pipeline"]

    def component(name_suffix: str) -> dict:
        return next(step for step in pipeline if step["name"].endswith(name_suffix))

    if name == "with lookup lemmas":
        component("MultilingualTokenizer")["lookup_lemmas"] = True
    elif name == "no normalisation":
        component("MultilingualTokenizer")["normalise"] = False
    elif name == "with language-specific features":
        component("LinearIntentClassifier")["language_specific_features"] = True
    elif name == "linear SVM":
        component("LinearIntentClassifier").update({"model": "svm", "C": 0.5})
    elif name == "Rasa LogisticRegressionClassifier":
        index = pipeline.index(component("LinearIntentClassifier"))
        pipeline[index] = {"name": "LogisticRegressionClassifier", "max_iter": 200}
    elif name.startswith("DIETClassifier"):
        index = pipeline.index(component("LinearIntentClassifier"))
        pipeline[index] = {"name": "DIETClassifier", "epochs": int(name.split()[1]), "entity_recognition": False,
                           "constrain_similarities": True}
    return variant


VARIANTS = [
    "project pipeline",
    "with lookup lemmas",
    "no normalisation",
    "with language-specific features",
    "linear SVM",
    "Rasa LogisticRegressionClassifier",
]


def train_nlu_variant(root: Path, config: dict, out_dir: Path) -> tuple[Path, float]:
    from rasa.model_training import train_nlu

    config_path = out_dir / "config.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    started = time.perf_counter()
    model = train_nlu(str(config_path), str(root / "data/nlu"), str(out_dir), domain=str(root / "domain.yml"))
    return Path(model), time.perf_counter() - started


def compare_variants(root: Path, examples: list[Example], variants: list[str]) -> list[dict[str, Any]]:
    config = yaml.safe_load((root / "config.yml").read_text())
    rows = []
    for name in variants:
        with tempfile.TemporaryDirectory() as tmp:
            model, seconds = train_nlu_variant(root, _variant(config, name), Path(tmp))
            figures = evaluate_model(model, examples, with_langdetect=False)
        rows.append(
            {
                "variant": name,
                "train_seconds": round(seconds, 1),
                "macro_f1": {code: round(figures[code]["intent_macro_f1"], 4) for code in languages.SUPPORTED},
                "macro_f1_all": round(figures["all"]["intent_macro_f1"], 4),
            }
        )
        print(f"  {name}: macro-F1 {rows[-1]['macro_f1_all']:.3f}, trained in {seconds:.0f} s", flush=True)
    return rows
