"""Export of a :class:`~netral_nlp.modeling.NetralModel` (encoder and both heads) to ONNX, its
int8 quantization, and the cache of exports that :class:`~netral_nlp.inference.backends.OnnxBackend`
loads. Needs the ``onnx`` extra (``onnx``, ``onnxruntime``; not ``optimum``).
``benchmarks/speed.py`` measures the ONNX Runtime path against the PyTorch ones.
"""
from __future__ import annotations

import gc
import logging
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from torch import nn

INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAMES = ("seq_logits", "tag_logits")


class _TupleOutputs(nn.Module):
    """NetralModel with positional inputs and a tuple of outputs, as the exporter wants."""

    def __init__(self, model: nn.Module, with_token_types: bool):
        super().__init__()
        self.model = model
        self.with_token_types = with_token_types

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        out = self.model(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=token_type_ids if self.with_token_types else None)
        return out["seq_logits"], out["tag_logits"]


def _set_attention(model: nn.Module, impl: str | None) -> str | None:
    """Switch the encoder's attention implementation; returns the previous one."""
    enc = getattr(model, "encoder", model)
    cfg = getattr(enc, "config", None)
    before = getattr(cfg, "_attn_implementation", None)
    if impl is None or cfg is None or before == impl:
        return before
    try:
        enc.set_attn_implementation(impl)
    except Exception:  # older transformers
        cfg._attn_implementation = impl
    return before


def _fuse(src: Path, dst: Path, config) -> bool:
    """ONNX Runtime's transformer fusions (attention, embedding + layer norm, bias + GELU, skip + layer
    norm) for BERT-like encoders; False (and ``dst`` not written) when they do not apply."""
    if getattr(config, "model_type", "") not in {"bert", "roberta", "xlm-roberta", "camembert", "electra"}:
        return False
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        opt = optimize_model(str(src), model_type="bert", num_heads=config.num_attention_heads,
                             hidden_size=config.hidden_size, opt_level=0)
        if not opt.get_fused_operator_statistics().get("Attention"):
            return False
        opt.save_model_to_file(str(dst))
        return True
    except Exception:
        return False


def export_onnx(model: nn.Module, path: str | os.PathLike, *, with_token_types: bool = True,
                opset: int = 17, optimize: bool = True) -> Path:
    """Write ``model`` (a fp32 :class:`~netral_nlp.modeling.NetralModel`) to ``path`` as ONNX.

    Batch size and sequence length are dynamic; windows must be right-padded (netral's are).
    The example input is padded, so the attention mask stays in the traced graph. With
    ``optimize`` the encoder is traced with eager attention, the pattern ONNX Runtime's
    transformer optimizer fuses into its own attention kernel (about 2x faster on CPU, and what
    int8 quantization then turns into ``QAttention``); the model is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    cfg = model.config
    pad = getattr(cfg, "pad_token_id", None) or 0
    n = 8
    ids = (torch.arange(2 * n, dtype=torch.long).reshape(2, n) % max(2, cfg.vocab_size - 1)) + 1
    mask = torch.ones_like(ids)
    ids[1, n // 2:] = pad
    mask[1, n // 2:] = 0
    args = [ids, mask]
    names = list(INPUT_NAMES[:2])
    if with_token_types:
        args.append(torch.zeros_like(ids))
        names.append(INPUT_NAMES[2])
    axes = {k: {0: "batch", 1: "sequence"} for k in names}
    axes.update({OUTPUT_NAMES[0]: {0: "batch"}, OUTPUT_NAMES[1]: {0: "batch", 1: "sequence"}})
    wrapped = _TupleOutputs(model, with_token_types)
    raw = path.with_name(path.stem + ".raw.onnx") if optimize else path
    before = _set_attention(model, "eager" if optimize else None)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            kw = dict(input_names=names, output_names=list(OUTPUT_NAMES), dynamic_axes=axes, opset_version=opset)
            try:  # the TorchScript exporter: about 3x faster to export than torch.export, same graph speed
                torch.onnx.export(wrapped, tuple(args), str(raw), dynamo=False, **kw)
            except Exception:  # a torch without the legacy exporter
                torch.onnx.export(wrapped, tuple(args), str(raw), dynamo=True, **kw)
    finally:
        _set_attention(model, before)
    if optimize:
        if not _fuse(raw, path, cfg):
            raw.replace(path)
        raw.unlink(missing_ok=True)
    return path


def quantize_onnx(src: str | os.PathLike, dst: str | os.PathLike) -> Path:
    """ONNX Runtime dynamic int8 quantization (int8 weights, activations quantized on the fly)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)  # "consider pre-processing" advice, printed at every call
    try:
        # fused ops (com.microsoft domain) defeat shape inference: their outputs are float
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        logging.disable(logging.NOTSET)
    return Path(dst)


@contextmanager
def onnx_file(weights: Path, load_model: Callable[[], nn.Module], *, with_token_types: bool, quantize: bool,
              cache_dir: str | os.PathLike | None = None) -> Iterator[Path]:
    """The ONNX file of the model whose weights are ``weights``, exported on first use.

    Exporting takes seconds, but several GB of memory for BERT-base (the exporter, optimizer and
    quantizer each hold a copy). With ``cache_dir`` the files are kept there and reused while they
    are newer than ``weights``: a cache hit calls neither ``load_model`` nor the exporter. Without
    it, they live in a temporary directory that is removed when the context exits. Files are
    written under a temporary name and moved into place, so processes sharing a cache never read
    half a file.
    """
    def fresh(f: Path) -> bool:
        return f.exists() and weights.exists() and f.stat().st_mtime >= weights.stat().st_mtime

    if cache_dir is not None:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="netral-onnx-", dir=cache_dir) as tmp_name:
        tmp = Path(tmp_name)
        folder = Path(cache_dir) if cache_dir is not None else tmp
        plain, int8 = folder / "model.onnx", folder / "model-int8.onnx"
        target = int8 if quantize else plain
        if not fresh(target):
            if not fresh(plain):
                model = load_model()
                os.replace(export_onnx(model, tmp / "model.onnx", with_token_types=with_token_types), plain)
                del model  # free the torch weights before ONNX Runtime loads its copy
                gc.collect()
            if quantize:
                os.replace(quantize_onnx(plain, tmp / "model-int8.onnx"), int8)
        yield target
