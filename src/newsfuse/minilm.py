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

import contextlib
import json
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from newsfuse import settings

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

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


class MiniLMProcess:
    """The same model in a process of its own, which starts loading at once.

    A brief from the command line needs both PyTorch with MiniLM (some 1.3 CPU-seconds to
    import and load, then the encoding) and spaCy (some 0.9 to import and load). In one
    process, one after the other, they hold the same interpreter lock; here PyTorch loads
    and encodes on one core while this process loads spaCy on the other. Texts go to the
    process and vectors come back as plain bytes (JSON text and float32 rows: nothing is
    pickled). The vectors are those :class:`MiniLM` gives in this process (same code,
    same weights). If the process cannot start, dies, or fails, the model is loaded here
    instead, which either works or raises the real error.
    """

    def __init__(self, folder: str | os.PathLike[str], bfloat16: bool = False) -> None:
        import multiprocessing

        self.folder, self.bfloat16 = str(folder), bfloat16
        self._lock = threading.Lock()
        self._here: MiniLM | None = None
        self._conn: Connection | None = None
        try:
            context = multiprocessing.get_context("spawn")  # never forked: safe with threads
            self._conn, child = context.Pipe()
            self._process = context.Process(target=_serve, args=(child, self.folder, bfloat16),
                                            name="newsfuse-minilm", daemon=True)
            self._process.start()
            child.close()
        except (OSError, ValueError, RuntimeError):
            self._conn = None

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One mean-pooled (not normalised) float32 row per text, as :meth:`MiniLM.encode`."""
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.send_bytes(json.dumps([list(texts), batch_size]).encode())
                    reply = self._conn.recv_bytes()
                    if not reply.startswith(b"error:"):
                        return np.frombuffer(reply, dtype=np.float32).reshape(len(texts),
                                                                              WIDTH).copy()
                except (EOFError, OSError, ValueError):
                    pass
                self.close()  # the model is loaded here instead
            if self._here is None:
                self._here = MiniLM(self.folder, self.bfloat16)
        return self._here.encode(texts, batch_size)

    def close(self) -> None:
        """Stop the process at once, whether it is still loading (a brief that failed early
        does not wait for a model it will not use) or done: it holds nothing to save, and
        left to exit on its own it spends longer unloading PyTorch (over 0.2 s) than a small
        brief spends after its vectors arrive."""
        if self._conn is None:
            return
        with contextlib.suppress(OSError):
            self._conn.send_bytes(b"")
        self._conn.close()
        self._conn = None
        self._process.terminate()
        self._process.join(timeout=5)


def _serve(conn: Connection, folder: str, bfloat16: bool) -> None:
    """The model process: load, then encode each request until an empty one (or the end of
    the pipe). Ctrl-C is the parent's to handle (it stops this process)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        model: MiniLM | None = MiniLM(folder, bfloat16)
        failure = b""
    except Exception as error:  # reported to the parent, which loads the model itself
        model, failure = None, f"error:{type(error).__name__}: {error}".encode()
    while True:
        try:
            request = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not request:
            return
        if model is None:
            conn.send_bytes(failure)
            continue
        try:
            texts, batch_size = json.loads(request)
            rows = model.encode(texts, int(batch_size))
            conn.send_bytes(np.ascontiguousarray(rows, dtype=np.float32).tobytes())
        except Exception as error:  # as above
            conn.send_bytes(f"error:{type(error).__name__}: {error}".encode())
