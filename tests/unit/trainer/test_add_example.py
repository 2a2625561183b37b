"""`bot add-example` puts one example, once, at the end of its intent's block in the language's file."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bot.trainer.nlu_data import read_blocks

CLEAN = Path(__file__).resolve().parents[2] / "fixtures/trainer/clean"


def add(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", "add-example", *args, "--root", str(root)],
                          capture_output=True, text=True)


def test_an_example_goes_once_into_its_intents_block_of_the_right_file(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(CLEAN, root)
    english_before = (root / "data/nlu/en.yml").read_text()
    blocks_before = {b.intent: [e.text for e in b.examples] for b in read_blocks(root / "data/nlu/pl.yml")}

    added = add(root, "czy wysyłacie na Islandię", "--intent", "ask_shipping", "--lang", "pl")
    assert added.returncode == 0, added.stderr
    assert "data/nlu/pl.yml:" in added.stdout and "ask_shipping" in added.stdout
    blocks = {b.intent: [e.text for e in b.examples] for b in read_blocks(root / "data/nlu/pl.yml")}
    assert blocks["ask_shipping"] == blocks_before["ask_shipping"] + ["czy wysyłacie na Islandię"]
    assert blocks["greet"] == blocks_before["greet"]
    assert (root / "data/nlu/en.yml").read_text() == english_before

    again = add(root, "Czy wysyłacie na Islandię?", "--intent", "ask_shipping", "--lang", "pl")
    assert again.returncode == 2 and "already in the data at data/nlu/pl.yml:" in again.stderr
    elsewhere = add(root, "czy wysylacie na islandie", "--intent", "greet", "--lang", "pl")
    assert elsewhere.returncode == 2 and "as 'ask_shipping'" in elsewhere.stderr
    leaked = add(root, "wysyłka do Chorwacji?", "--intent", "ask_shipping", "--lang", "pl")
    assert leaked.returncode == 2 and "held-out test message" in leaked.stderr
    unknown = add(root, "prezent?", "--intent", "gift_wrap", "--lang", "pl")
    assert unknown.returncode == 2 and "'gift_wrap' is not an intent" in unknown.stderr
    assert sum(len(v) for v in {b.intent: b.examples for b in read_blocks(root / "data/nlu/pl.yml")}.values()) == \
        sum(len(v) for v in blocks_before.values()) + 1
