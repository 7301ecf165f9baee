"""Forward stage: a padded batch of windows -> (sequence logits, tag logits), behind one protocol.

* :class:`TorchBackend`: a :class:`~netral_nlp.modeling.NetralModel` in PyTorch (fp32, or dynamic
  int8 with ``quantize="torch"``);
* :class:`OnnxBackend`: the same network exported to ONNX and run by ONNX Runtime (int8 with
  ``quantize="onnx"``). A cached export loads without building the PyTorch model at all.

:func:`forward_windows` runs a backend over windows in length-sorted batches and returns the
log-odds of partisan and the tag probabilities (softmax) per window; windows are merged back
into documents, and log-odds calibrated into probabilities, by :mod:`.aggregate`.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import torch

from ..errors import ModelNotAvailableError
from ..modeling import WEIGHTS_NAME, NetralModel, build_model, load_weights, quantize_dynamic
from ..settings import NetralSettings
from .windows import Window, collate

OUTPUT_NAMES = ("seq_logits", "tag_logits")


class Forward(Protocol):
    """What the classifier needs from a backend: the encoder config, the device of its inputs,
    and one forward pass over a right-padded batch."""

    config: Any
    device: torch.device

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                 token_type_ids: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]: ...


class TorchBackend:
    """A (possibly dynamically quantized) :class:`NetralModel` run by PyTorch."""

    def __init__(self, model: torch.nn.Module, device: str | torch.device = "cpu"):
        self.model = model.eval()
        self.config = model.config
        self.device = torch.device(device)

    def to(self, device: str | torch.device) -> TorchBackend:
        self.model.to(device)
        self.device = torch.device(device)
        return self

    def __call__(self, input_ids, attention_mask, token_type_ids=None):
        inputs = {"input_ids": input_ids.to(self.device), "attention_mask": attention_mask.to(self.device)}
        if token_type_ids is not None:
            inputs["token_type_ids"] = token_type_ids.to(self.device)
        out = self.model(**inputs)
        return out["seq_logits"], out["tag_logits"]


class OnnxBackend:
    """An ONNX Runtime session over the exported network (CPU only, inference only)."""

    def __init__(self, path: str | os.PathLike, config, threads: int | None = None):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or torch.get_num_threads()
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.config = config
        self.device = torch.device("cpu")

    @classmethod
    def from_directory(cls, directory: Path, config, tokenizer, settings: NetralSettings, *, quantize: bool = True,
                       cache_dir: str | os.PathLike | None = None, threads: int | None = None) -> OnnxBackend:
        """Export (or reuse the cached export of) the model in ``directory`` and open it."""
        from .onnx_export import onnx_file

        with_types = getattr(config, "type_vocab_size", 0) > 0 and "token_type_ids" in tokenizer("a")
        with onnx_file(directory / WEIGHTS_NAME, lambda: load_torch_model(directory, config, settings),
                       with_token_types=with_types, quantize=quantize, cache_dir=cache_dir) as path:
            return cls(path, config, threads)

    def to(self, device: str | torch.device) -> OnnxBackend:
        if torch.device(device).type != "cpu":
            raise ValueError("the ONNX Runtime path runs on CPU only")
        return self

    def __call__(self, input_ids, attention_mask, token_type_ids=None):
        feed = {"input_ids": input_ids.cpu().numpy(), "attention_mask": attention_mask.cpu().numpy()}
        if "token_type_ids" in self.input_names:
            tt = token_type_ids if token_type_ids is not None else torch.zeros_like(input_ids)
            feed["token_type_ids"] = tt.cpu().numpy()
        seq, tags = self.session.run(list(OUTPUT_NAMES), feed)
        return torch.from_numpy(seq), torch.from_numpy(tags)


def load_torch_model(directory: Path, config, settings: NetralSettings) -> NetralModel:
    """The fp32 model of a model directory (weights from ``model.safetensors`` only)."""
    model = build_model(config, len(settings.labels), len(settings.tags))
    load_weights(model, directory)
    return model


def fast_backend(quantize: bool | str | None) -> str | None:
    """None (fp32), "torch" or "onnx" for a ``quantize`` argument."""
    if quantize is None or quantize is False:
        return None
    if quantize is True or quantize == "auto":
        import importlib.util

        have_ort = all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "onnx"))
        return "onnx" if have_ort else "torch"
    if quantize in ("onnx", "torch"):
        return quantize
    raise ValueError(f"quantize={quantize!r}: expected False, True, 'auto', 'onnx' or 'torch'")


def default_cache_dir(model_dir: str | os.PathLike) -> Path:
    """Where ``from_pretrained(..., quantize=True)`` keeps the ONNX files of ``model_dir``:
    ``$NETRAL_CACHE`` (default ``$XDG_CACHE_HOME/netral-nlp`` or ``~/.cache/netral-nlp``), then
    ``onnx/<hash of the model directory's path>``. Files older than the model's weights are rebuilt."""
    import hashlib

    root = os.environ.get("NETRAL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "netral-nlp")
    key = hashlib.sha256(str(Path(model_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(root) / "onnx" / key


def load_backend(directory: Path, config, tokenizer, settings: NetralSettings, *, quantize: bool | str = False,
                 device: str | None = None) -> tuple[Forward, str]:
    """The backend ``quantize`` asks for, and the suffix it adds to the classifier's name.

    ONNX Runtime int8 falls back to PyTorch int8 (with a warning) when the export fails, unless
    ONNX was asked for by name (``quantize="onnx"``).
    """
    kind = fast_backend(quantize)
    if kind == "onnx":
        try:
            return OnnxBackend.from_directory(directory, config, tokenizer, settings, quantize=True,
                                              cache_dir=default_cache_dir(directory)), " [onnx int8]"
        except (ModelNotAvailableError, ValueError, FileNotFoundError):
            raise
        except Exception as err:
            if quantize == "onnx":
                raise
            warnings.warn(f"ONNX Runtime export failed ({type(err).__name__}: {err}); using PyTorch int8 instead",
                          stacklevel=3)
            kind = "torch"
    model = load_torch_model(directory, config, settings)
    device = device or ("cuda" if torch.cuda.is_available() and not kind else "cpu")
    if kind == "torch":
        model = quantize_dynamic(model.eval())
    model.to(device)
    return TorchBackend(model, device), ""


@torch.inference_mode()
def forward_windows(backend: Forward, windows: list[Window], pad_id: int, batch_size: int, partisan: int,
                    progress: bool = False, sort_by_length: bool = True) -> tuple[np.ndarray, list[np.ndarray]]:
    """The log-odds of partisan per window (``partisan``: its label index; the calibration in
    :mod:`.aggregate` turns them into probabilities) and tag probabilities per window (one row
    per token of the window). Windows are batched by sorted length (``sort_by_length``), so
    padding is small."""
    order = list(range(len(windows)))
    if sort_by_length:
        order.sort(key=lambda k: len(windows[k]), reverse=True)
    seq_z = np.zeros(len(windows), dtype=np.float64)
    tag_p: list[np.ndarray] = [np.zeros((0, 0), dtype=np.float32)] * len(windows)
    batches = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
    if progress:
        from tqdm.auto import tqdm

        batches = tqdm(batches, desc="batches", unit="batch")
    for idx in batches:
        seq_logits, tag_logits = backend(**collate([windows[k] for k in idx], pad_id))
        logits = seq_logits.double()
        others = torch.cat([logits[:, :partisan], logits[:, partisan + 1:]], -1)
        z = (logits[:, partisan] - torch.logsumexp(others, -1)).cpu().numpy()  # log p/(1-p), unsaturated
        t = torch.softmax(tag_logits.float(), -1).cpu().numpy()
        for r, k in enumerate(idx):
            seq_z[k] = z[r]
            tag_p[k] = t[r, : len(windows[k])]
    return seq_z, tag_p
