"""Optional fast CPU path: the encoder and both heads exported to ONNX, run by ONNX Runtime.

>>> from netral_nlp.onnx_export import onnx_classifier
>>> clf = onnx_classifier("models/netral-mini", quantize=True)     # doctest: +SKIP
>>> clf.predict(["Ayo coblos nomor 2!"])                           # doctest: +SKIP

The result is an ordinary :class:`~netral_nlp.NeutralityClassifier` (same ``predict``, same
windows, decoding and spans); only the forward pass runs in ONNX Runtime. ``quantize=True`` adds
ONNX Runtime's dynamic int8 quantization of the weight matrices. Needs the ``onnx`` extra
(``onnx``, ``onnxruntime``; not ``optimum``). Inference only: such a classifier cannot be saved
or trained. ``benchmarks/speed.py`` measures it against the PyTorch paths.
"""
from __future__ import annotations

import gc
import logging
import os
import tempfile
import warnings
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


def default_cache_dir(model_dir: str | os.PathLike) -> Path:
    """Where ``from_pretrained(..., quantize=True)`` keeps the ONNX files of ``model_dir``:
    ``$NETRAL_CACHE`` (default ``$XDG_CACHE_HOME/netral-nlp`` or ``~/.cache/netral-nlp``), then
    ``onnx/<hash of the model directory's path>``. Files older than the model's weights are rebuilt."""
    import hashlib

    root = os.environ.get("NETRAL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "netral-nlp")
    key = hashlib.sha256(str(Path(model_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(root) / "onnx" / key


class OnnxNetralModel:
    """An ONNX Runtime session that is called like ``NetralModel`` (inference only)."""

    def __init__(self, path: str | os.PathLike, config, threads: int | None = None):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or torch.get_num_threads()
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.config = config

    def eval(self) -> OnnxNetralModel:
        return self

    def to(self, device) -> OnnxNetralModel:
        if torch.device(device).type != "cpu":
            raise ValueError("the ONNX Runtime path runs on CPU only")
        return self

    def __call__(self, input_ids, attention_mask=None, token_type_ids=None, **_ignored) -> dict[str, torch.Tensor]:
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        feed = {"input_ids": input_ids.cpu().numpy(), "attention_mask": attention_mask.cpu().numpy()}
        if "token_type_ids" in self.input_names:
            tt = token_type_ids if token_type_ids is not None else torch.zeros_like(input_ids)
            feed["token_type_ids"] = tt.cpu().numpy()
        seq, tags = self.session.run(list(OUTPUT_NAMES), feed)
        return {"seq_logits": torch.from_numpy(seq), "tag_logits": torch.from_numpy(tags)}


def onnx_classifier(name_or_path: str | os.PathLike | None = None, *, quantize: bool = True,
                    cache_dir: str | os.PathLike | None = None, threads: int | None = None, **overrides):
    """A :class:`~netral_nlp.NeutralityClassifier` whose forward pass runs in ONNX Runtime.

    The model is exported on first use (seconds, but several GB of memory for BERT-base: the
    exporter, optimizer and quantizer each hold a copy). With ``cache_dir`` the ONNX files are kept
    there and reused while they are newer than the model's weights, so later loads skip the export;
    without it, they are written to a temporary directory and removed once loaded.
    ``overrides``: ``threshold``, ``max_length``, ``stride``, as for ``from_pretrained``.
    """
    from .classifier import NeutralityClassifier, default_model_path, resolve_model_dir
    from .modeling import WEIGHTS_NAME

    base = NeutralityClassifier.from_pretrained(name_or_path, device="cpu", **overrides)
    directory = default_model_path() if name_or_path is None else resolve_model_dir(name_or_path)
    weights = directory / WEIGHTS_NAME
    with_types = (getattr(base.model.config, "type_vocab_size", 0) > 0
                  and "token_type_ids" in base.tokenizer("a"))

    def fresh(f: Path) -> bool:
        return f.exists() and (not weights.exists() or f.stat().st_mtime >= weights.stat().st_mtime)

    def build(folder: Path, tmp: Path) -> Path:
        # written under tmp, then moved into folder: processes sharing a cache never read half a file
        plain = folder / "model.onnx"
        if not fresh(plain):
            os.replace(export_onnx(base.model, tmp / "model.onnx", with_token_types=with_types), plain)
        if not quantize:
            return plain
        q = folder / "model-int8.onnx"
        if not fresh(q):
            os.replace(quantize_onnx(plain, tmp / "model-int8.onnx"), q)
        return q

    config = base.model.config
    if cache_dir is not None:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="netral-onnx-", dir=cache_dir) as tmp:
        path = build(Path(cache_dir) if cache_dir is not None else Path(tmp), Path(tmp))
        base.model = None  # free the torch weights before ONNX Runtime loads its copy
        gc.collect()
        session = OnnxNetralModel(path, config, threads)
    suffix = " [onnx int8]" if quantize else " [onnx]"
    return NeutralityClassifier(session, base.tokenizer, base.settings, device="cpu", name=base.name + suffix)
