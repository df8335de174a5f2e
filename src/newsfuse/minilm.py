"""all-MiniLM-L6-v2 sentence embeddings, computed directly with PyTorch.

The model is a six-layer BERT (384 wide, 12 heads) whose token vectors are mean-pooled
over the sentence. The sentence-transformers library computes the same thing, but
importing it (and the transformers library under it) cost about 6 CPU-seconds, more than
the model itself on a handful of articles; this module needs only PyTorch, the
``tokenizers`` library and the model's own files (``model.safetensors``, ``tokenizer.json``).
A test checks its vectors against sentence-transformers' (cosine above 0.9999).

PyTorch's OpenMP threads spin while they wait for work by default. On a shared or busy
machine a spinning thread takes the core another process needs: encoding the five seeds'
171 sentences took 4 to 6 CPU-seconds on two threads against 1 on one thread. Unless the
user set ``OMP_WAIT_POLICY``, or PyTorch was already imported, it is set to ``PASSIVE``
before PyTorch loads (the same vectors; about 1 CPU-second on two threads).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse import settings

MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
LAYERS, HEADS, WIDTH, EPS = 6, 12, 384, 1e-12


def import_torch() -> Any:
    """PyTorch, with OpenMP threads that sleep rather than spin while they wait (unless
    the user chose otherwise, or PyTorch was loaded before: then nothing changes)."""
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", settings.MINILM_OMP_WAIT_POLICY)
    import torch

    return torch


class MiniLM:
    """The encoder: tokenizer, weights, and a forward pass in ``dtype``."""

    def __init__(self, folder: str | os.PathLike[str], bfloat16: bool = False) -> None:
        torch = import_torch()
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        self.torch = torch
        self.tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        self.dtype = torch.bfloat16 if bfloat16 else torch.float32
        weights = load_file(str(Path(folder) / "model.safetensors"))
        self.w = {k: v.to(self.dtype) for k, v in weights.items() if k != "embeddings.position_ids"}

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One mean-pooled (not normalised) float32 row per text. Texts are batched by
        length, so that padding costs little."""
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out = np.zeros((len(texts), WIDTH), dtype=np.float32)
        with self.torch.inference_mode():
            for lo in range(0, len(order), batch_size):
                batch = order[lo:lo + batch_size]
                out[batch] = self._forward([encodings[i].ids for i in batch])
        return out

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        torch, w = self.torch, self.w
        fn: Any = torch.nn.functional
        length = max(len(x) for x in ids)
        tokens = torch.zeros((len(ids), length), dtype=torch.long)
        mask = torch.zeros((len(ids), length), dtype=torch.bool)
        for row, seq in enumerate(ids):
            tokens[row, :len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[row, :len(seq)] = True
        x = (w["embeddings.word_embeddings.weight"][tokens]
             + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = fn.layer_norm(x, (WIDTH,), w["embeddings.LayerNorm.weight"],
                          w["embeddings.LayerNorm.bias"], EPS)
        attend = mask[:, None, None, :]
        for layer in range(LAYERS):
            x = self._layer(x, attend, f"encoder.layer.{layer}.")
        weights = mask.to(x.dtype).unsqueeze(-1)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return np.asarray(pooled.float().numpy(), dtype=np.float32)

    def _layer(self, x: Any, attend: Any, p: str) -> Any:
        w, fn = self.w, self.torch.nn.functional
        batch, length, _ = x.shape

        def heads(name: str) -> Any:
            y = fn.linear(x, w[f"{p}attention.self.{name}.weight"],
                          w[f"{p}attention.self.{name}.bias"])
            return y.view(batch, length, HEADS, WIDTH // HEADS).transpose(1, 2)

        context = fn.scaled_dot_product_attention(heads("query"), heads("key"), heads("value"),
                                                  attn_mask=attend)
        context = context.transpose(1, 2).reshape(batch, length, WIDTH)
        x = fn.layer_norm(fn.linear(context, w[f"{p}attention.output.dense.weight"],
                                    w[f"{p}attention.output.dense.bias"]) + x, (WIDTH,),
                          w[f"{p}attention.output.LayerNorm.weight"],
                          w[f"{p}attention.output.LayerNorm.bias"], EPS)
        hidden = fn.gelu(fn.linear(x, w[f"{p}intermediate.dense.weight"],
                                   w[f"{p}intermediate.dense.bias"]))
        return fn.layer_norm(fn.linear(hidden, w[f"{p}output.dense.weight"],
                                       w[f"{p}output.dense.bias"]) + x, (WIDTH,),
                             w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"],
                             EPS)
