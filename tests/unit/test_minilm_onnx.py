"""The ONNX Runtime encoder (bench/minilm_onnx.py) gives the NumPy reference's sentence vectors (bench/minilm.py).

A small BERT with random weights, laid out like all-MiniLM-L6-v2's safetensors, stands in for the real model (whose
package is installed by `make bench-nlu` only), so the test checks the graph, not one set of weights."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.minilm import MiniLM, WordPiece
from bench.minilm_onnx import OnnxMiniLM

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "my", "card", "has", "not", "arrived", "yet", "?", "how", "do", "i",
         "top", "up", "##s", "by", "bank", "transfer", "pin", "blocked"]
SENTENCES = ["My card has not arrived yet?", "How do I top up by bank transfer?", "PIN blocked", "tops", "zzz qqq"]


def bert(hidden: int = 16, layers: int = 2, positions: int = 32, seed: int = 7) -> dict[str, np.ndarray]:
    random = np.random.default_rng(seed)

    def array(*shape: int) -> np.ndarray:
        return random.normal(0, 0.5, shape).astype(np.float32)

    w = {"embeddings.word_embeddings.weight": array(len(VOCAB), hidden),
         "embeddings.position_embeddings.weight": array(positions, hidden),
         "embeddings.token_type_embeddings.weight": array(2, hidden),
         "embeddings.LayerNorm.weight": 1 + array(hidden), "embeddings.LayerNorm.bias": array(hidden)}
    for layer in range(layers):
        p = f"encoder.layer.{layer}"
        square = [(f"attention.self.{n}", hidden, hidden) for n in ("query", "key", "value")]
        for name, rows, columns in [*square, ("attention.output.dense", hidden, hidden),
                                    ("intermediate.dense", 4 * hidden, hidden), ("output.dense", hidden, 4 * hidden)]:
            w[f"{p}.{name}.weight"], w[f"{p}.{name}.bias"] = array(rows, columns), array(rows)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[f"{p}.{norm}.weight"], w[f"{p}.{norm}.bias"] = 1 + array(hidden), array(hidden)
    return w


@pytest.fixture(scope="module")
def encoders(tmp_path_factory: pytest.TempPathFactory) -> tuple[MiniLM, OnnxMiniLM]:
    vocab = Path(tmp_path_factory.mktemp("minilm")) / "vocab.txt"
    vocab.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    weights, tokenizer = bert(), WordPiece(vocab)
    return MiniLM(weights, 2, tokenizer), OnnxMiniLM(weights, 2, tokenizer)


def test_batched_vectors_equal_the_reference_despite_padding(encoders: tuple[MiniLM, OnnxMiniLM]) -> None:
    reference, fast = encoders
    expected = reference.encode(SENTENCES)
    # sentences of different lengths share one padded batch: a mask ignored would change the short ones
    np.testing.assert_allclose(fast.encode(SENTENCES, batch=len(SENTENCES)), expected, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(expected, axis=1), 1.0, atol=1e-5)


def test_one_message_gives_the_same_vector_as_in_a_batch(encoders: tuple[MiniLM, OnnxMiniLM]) -> None:
    reference, fast = encoders
    for sentence, expected in zip(SENTENCES, reference.encode(SENTENCES)):
        np.testing.assert_allclose(fast.encode_one(sentence), expected, atol=1e-5)


def test_int8_weights_keep_the_vectors_close_to_the_reference(encoders: tuple[MiniLM, OnnxMiniLM]) -> None:
    reference = encoders[0]
    quantized = OnnxMiniLM(reference.w, reference.heads, reference.tokenizer, int8=True)
    expected = reference.encode(SENTENCES)
    for vectors in (quantized.encode(SENTENCES), np.array([quantized.encode_one(s) for s in SENTENCES])):
        assert (vectors * expected).sum(axis=1).min() > 0.99  # cosine similarity: both are unit vectors


def test_different_messages_get_different_vectors(encoders: tuple[MiniLM, OnnxMiniLM]) -> None:
    vectors = encoders[1].encode(SENTENCES)
    assert np.abs(vectors[0] - vectors[1]).max() > 0.05
