"""The public entry point: :class:`NeutralityClassifier`."""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import overload

import numpy as np
import torch

from .decode import decode_spans
from .encoding import Window, check_tokenizer, window_texts
from .labels import NEUTRAL, PARTISAN
from .modeling import NetralModel, build_model, load_weights, quantize_dynamic
from .normalize import Normalizer
from .settings import NetralSettings
from .types import Prediction, PredictionList

DEFAULT_MODEL_NAME = "netral-mini"


class ModelNotAvailableError(OSError):
    """The model is neither a local directory nor reachable/cached on the Hugging Face Hub."""


def default_model_path() -> Path:
    """The shipped default model: packaged in the wheel, or ``models/`` in a source checkout."""
    here = Path(__file__).resolve().parent
    for cand in (here / "default_model", here.parent / "models" / DEFAULT_MODEL_NAME):
        if (cand / "config.json").exists():
            return cand
    raise ModelNotAvailableError(
        "the default model is not installed (looked in netral_nlp/default_model and "
        f"models/{DEFAULT_MODEL_NAME}); pass a model directory to from_pretrained()"
    )


def resolve_model_dir(name_or_path: str | os.PathLike) -> Path:
    """A local directory as is; otherwise a Hub id fetched (or found in the cache) by huggingface_hub."""
    p = Path(name_or_path).expanduser()
    if p.is_dir():
        return p
    if p.exists():
        raise ValueError(f"{p} is a file; pass the model directory that contains config.json")
    name = str(name_or_path)
    if name.count("/") != 1 or name.startswith((".", "/", "~")):
        raise ModelNotAvailableError(f"{name}: no such model directory")
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, allow_patterns=["*.json", "*.safetensors", "*.txt", "*.md", "*.model"]))
    except Exception as err:  # offline, unknown repo, no network...
        raise ModelNotAvailableError(
            f"could not find model {name!r} locally or download it from the Hugging Face Hub "
            f"({type(err).__name__}: {err}). Without network access the model must be available "
            "locally: pass its directory."
        ) from err


def _fast_backend(quantize: bool | str | None) -> str | None:
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


def _onnx_fast(directory: Path, name: str, required: bool, **overrides) -> NeutralityClassifier:
    """ONNX Runtime int8; where the export fails and ONNX was not asked for by name, PyTorch int8."""
    from .onnx_export import default_cache_dir, onnx_classifier

    try:
        clf = onnx_classifier(directory, quantize=True, cache_dir=default_cache_dir(directory), **overrides)
        clf.name = f"{name} [onnx int8]"
    except (ModelNotAvailableError, ValueError, FileNotFoundError):
        raise
    except Exception as err:
        if required:
            raise
        import warnings

        warnings.warn(f"ONNX Runtime export failed ({type(err).__name__}: {err}); using PyTorch int8 instead",
                      stacklevel=3)
        clf = NeutralityClassifier.from_pretrained(directory, quantize="torch", **overrides)
        clf.name = name
    return clf


def _check_text(i: int, t) -> str:
    if not isinstance(t, str):
        raise TypeError(f"text #{i} is {type(t).__name__}, expected str")
    return t


class NeutralityClassifier:
    """Labels texts ``partisan`` or ``neutral`` and highlights the spans that triggered the label."""

    def __init__(self, model: NetralModel, tokenizer, settings: NetralSettings, device: str | torch.device = "cpu",
                 name: str = ""):
        check_tokenizer(tokenizer)
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.settings = settings
        self.device = torch.device(device)
        self.name = name
        self.normalizer = Normalizer(settings.normalization)

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | os.PathLike | None = None,
        *,
        device: str | None = None,
        quantize: bool | str = False,
        threshold: float | None = None,
        max_length: int | None = None,
        stride: int | None = None,
    ) -> NeutralityClassifier:
        """Load a netral-nlp model directory (or Hub id); with no argument, the shipped default model.

        ``quantize`` is the fast CPU path, dynamic int8 quantization of the weight matrices:
        ``True`` (or ``"auto"``) runs the model in ONNX Runtime int8 when ``onnxruntime`` is
        installed (the ``onnx`` extra; the export is cached, see
        :func:`netral_nlp.onnx_export.default_cache_dir`) and in PyTorch int8 otherwise;
        ``"onnx"`` or ``"torch"`` choose one. ONNX Runtime int8 was the faster of the two at
        IndoBERT-base size on both CPUs measured (2.2-2.7x fp32, against 1.5-2.1x for PyTorch
        int8; see ``benchmarks/``). ``threshold``, ``max_length`` and ``stride`` override the
        values stored in the model's config.
        """
        from transformers import AutoConfig, AutoTokenizer

        backend = _fast_backend(quantize)
        if backend is not None and device not in (None, "cpu"):
            raise ValueError("quantize is a CPU optimisation; use device='cpu'")
        directory = default_model_path() if name_or_path is None else resolve_model_dir(name_or_path)
        name = str(name_or_path or DEFAULT_MODEL_NAME)
        if backend == "onnx":
            return _onnx_fast(directory, name, quantize == "onnx", threshold=threshold, max_length=max_length,
                              stride=stride)
        if not (directory / "config.json").exists():
            raise ModelNotAvailableError(f"{directory} has no config.json")
        config = AutoConfig.from_pretrained(directory, local_files_only=True, trust_remote_code=False)
        raw = getattr(config, "netral", None)
        if not raw:
            raise ValueError(
                f"{directory} is not a netral-nlp model (its config.json has no 'netral' section). "
                "If it is a base encoder such as indobenchmark/indobert-base-p1, fine-tune it first: "
                "`netral train --base-model ...`."
            )
        settings = NetralSettings.from_dict(raw)
        for k, v in (("threshold", threshold), ("max_length", max_length), ("stride", stride)):
            if v is not None:
                setattr(settings, k, v)
        tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True, trust_remote_code=False)
        model = build_model(config, len(settings.labels), len(settings.tags))
        load_weights(model, directory)
        device = device or ("cuda" if torch.cuda.is_available() and not backend else "cpu")
        if backend == "torch":
            model = quantize_dynamic(model.eval())
        model.to(device)
        return cls(model, tokenizer, settings, device=device, name=name)

    def save_pretrained(self, directory: str | os.PathLike) -> Path:
        """Write a self-contained model directory (config.json, model.safetensors, tokenizer)."""
        from .modeling import save_weights

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        config = self.model.config
        config.netral = self.settings.to_dict()
        config.id2label = dict(enumerate(self.settings.labels))
        config.label2id = {v: k for k, v in config.id2label.items()}
        config.save_pretrained(out)
        self.tokenizer.save_pretrained(out)
        save_weights(self.model, out)
        return out

    # --------------------------------------------------------------- prediction
    @property
    def threshold(self) -> float:
        return self.settings.threshold

    @property
    def categories(self) -> list[str]:
        return list(self.settings.categories)

    @overload
    def predict(self, texts: str, batch_size: int = ..., threshold: float | None = ...,
                spans: bool = ..., progress: bool = ...) -> Prediction: ...

    @overload
    def predict(self, texts: Iterable[str], batch_size: int = ..., threshold: float | None = ...,
                spans: bool = ..., progress: bool = ...) -> PredictionList: ...

    def predict(self, texts, batch_size: int = 32, threshold: float | None = None, spans: bool = True,
                progress: bool = False):
        """Label one text (returns a :class:`Prediction`) or a list of texts (returns a list).

        Empty or whitespace-only texts are labelled ``neutral`` with score 0.0 and no spans,
        without running the model. ``None`` or non-string items raise ``TypeError``.
        ``threshold`` overrides the model's decision threshold on P(partisan).
        """
        if isinstance(texts, str):
            return self._predict_list([texts], batch_size, threshold, spans, progress)[0]
        if texts is None:
            raise TypeError("texts is None; expected a string or a list of strings")
        if isinstance(texts, bytes):
            raise TypeError("texts is bytes; decode it to str first")
        if isinstance(texts, Mapping):
            raise TypeError("texts is a mapping; pass a string or a list of strings")
        if not isinstance(texts, Iterable):
            raise TypeError(f"texts is {type(texts).__name__}; expected a string or a list of strings")
        return self._predict_list(list(texts), batch_size, threshold, spans, progress)

    def predict_proba(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """P(partisan) for each text (no span decoding)."""
        return np.array([p.score for p in self._predict_list(list(texts), batch_size, None, False, False)])

    def _predict_list(self, texts: list, batch_size: int, threshold: float | None, with_spans: bool,
                      progress: bool) -> PredictionList:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        texts = [_check_text(i, t) for i, t in enumerate(texts)]
        thr = self.settings.threshold if threshold is None else float(threshold)
        out: list[Prediction | None] = [None] * len(texts)
        todo = []
        for i, t in enumerate(texts):
            if t.strip():
                todo.append(i)
            else:
                out[i] = Prediction(text=t, label=NEUTRAL, score=0.0, spans=[])
        if todo:
            norms = [self.normalizer(texts[i]) for i in todo]
            scores, token_probs = self.score_windows([n.text for n in norms], batch_size, progress)
            for j, i in enumerate(todo):
                score = float(scores[j])
                label = PARTISAN if score >= thr else NEUTRAL
                found = []
                if with_spans and (label == PARTISAN or self.settings.spans_for_neutral):
                    offsets, probs = token_probs[j]
                    found = decode_spans(norms[j], offsets, probs, self.settings.categories,
                                         self.settings.span_threshold, self.settings.span_merge_gap)
                out[i] = Prediction(text=texts[i], label=label, score=round(score, 6), spans=found)
        return PredictionList(out)

    @torch.inference_mode()
    def score_windows(self, norm_texts: list[str], batch_size: int = 32, progress: bool = False,
                      sort_by_length: bool = True):
        """Run the model over normalized texts.

        Returns P(partisan) per text (max over its windows) and, per text, the token offsets
        (normalized chars) with tag probabilities averaged over the windows that saw each token.
        Windows are batched by sorted length (``sort_by_length``), so padding is small.
        """
        s = self.settings
        windows = window_texts(self.tokenizer, norm_texts, s.max_length, s.stride)
        order = list(range(len(windows)))
        if sort_by_length:
            order.sort(key=lambda k: len(windows[k]), reverse=True)
        seq_p = np.zeros(len(windows), dtype=np.float32)
        tag_p: list[np.ndarray | None] = [None] * len(windows)
        batches = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
        if progress:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="batches", unit="batch")
        partisan = s.labels.index(PARTISAN)
        for idx in batches:
            inputs = self._collate([windows[k] for k in idx])
            res = self.model(**inputs)
            p = torch.softmax(res["seq_logits"].float(), -1)[:, partisan].cpu().numpy()
            t = torch.softmax(res["tag_logits"].float(), -1).cpu().numpy()
            for r, k in enumerate(idx):
                seq_p[k] = p[r]
                tag_p[k] = t[r, : len(windows[k])]
        scores = np.zeros(len(norm_texts), dtype=np.float32)
        per_doc: list[dict[tuple[int, int], list]] = [{} for _ in norm_texts]
        for k, w in enumerate(windows):
            scores[w.doc] = max(scores[w.doc], seq_p[k])
            acc = per_doc[w.doc]
            probs = tag_p[k]
            for pos, (off, sp) in enumerate(zip(w.offsets, w.special)):
                if sp or off[1] <= off[0]:
                    continue
                if off in acc:
                    acc[off][0] += probs[pos]
                    acc[off][1] += 1
                else:
                    acc[off] = [probs[pos].copy(), 1]
        token_probs = []
        ntags = len(s.tags)
        for acc in per_doc:
            keys = sorted(acc)
            offsets = np.array(keys, dtype=np.int64).reshape(-1, 2)
            probs = np.array([acc[k][0] / acc[k][1] for k in keys], dtype=np.float32).reshape(-1, ntags)
            token_probs.append((offsets, probs))
        return scores, token_probs

    def _collate(self, batch: list[Window]) -> dict[str, torch.Tensor]:
        n = max(len(w) for w in batch)
        pad = self.tokenizer.pad_token_id or 0
        ids = torch.full((len(batch), n), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), n), dtype=torch.long)
        types = torch.zeros((len(batch), n), dtype=torch.long) if batch[0].token_type_ids is not None else None
        for r, w in enumerate(batch):
            ids[r, : len(w)] = torch.tensor(w.input_ids)
            mask[r, : len(w)] = 1
            if types is not None:
                types[r, : len(w)] = torch.tensor(w.token_type_ids)
        inputs = {"input_ids": ids.to(self.device), "attention_mask": mask.to(self.device)}
        if types is not None:
            inputs["token_type_ids"] = types.to(self.device)
        return inputs

    def __repr__(self) -> str:
        cfg = self.model.config
        return (f"NeutralityClassifier({self.name!r}, encoder={getattr(cfg, 'model_type', '?')}, "
                f"layers={getattr(cfg, 'num_hidden_layers', '?')}, threshold={self.threshold}, "
                f"max_length={self.settings.max_length}, stride={self.settings.stride})")
