"""The public entry point, :class:`NeutralityClassifier`: preprocess -> forward -> postprocess.

* preprocess: check the inputs, normalize each text (keeping its offset map), cut it into token
  windows (:mod:`.windows`);
* forward: the model over length-sorted batches of windows (:mod:`.backends`: PyTorch or ONNX
  Runtime behind one protocol);
* postprocess: windows back to documents (:mod:`.aggregate`), the decision threshold, token
  probabilities to spans in the original text (:mod:`.decode`).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np
import torch

from ..labels import NEUTRAL, PARTISAN
from ..normalize import Normalizer
from ..predictions import Prediction, PredictionList
from ..settings import NetralSettings, check_overrides
from .aggregate import calibrate, merge_windows
from .backends import Forward, OnnxBackend, TorchBackend, fast_backend, forward_windows, load_backend
from .decode import decode_spans
from .hub import display_name, load_config, load_tokenizer, resolve_model_dir
from .windows import check_tokenizer, window_texts


def _check_text(i: int, t) -> str:
    if not isinstance(t, str):
        raise TypeError(f"text #{i} is {type(t).__name__}, expected str")
    return t


class NeutralityClassifier:
    """Labels texts ``partisan`` or ``neutral`` and highlights the spans that triggered the label.

    ``model`` is a :class:`~netral_nlp.modeling.NetralModel` (run by PyTorch on ``device``) or a
    ready :class:`~netral_nlp.inference.backends.Forward` backend.
    """

    def __init__(self, model: torch.nn.Module | Forward, tokenizer, settings: NetralSettings,
                 device: str | torch.device = "cpu", name: str = ""):
        check_tokenizer(tokenizer)
        self.backend: Forward = TorchBackend(model, device) if isinstance(model, torch.nn.Module) else model
        self.tokenizer = tokenizer
        self.settings = settings
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
        :func:`netral_nlp.inference.backends.default_cache_dir`) and in PyTorch int8 otherwise;
        ``"onnx"`` or ``"torch"`` choose one. ONNX Runtime int8 was the faster of the two at
        IndoBERT-base size on both CPUs measured (2.2-2.7x fp32, against 1.5-2.1x for PyTorch
        int8; see ``benchmarks/``). ``threshold``, ``max_length`` and ``stride`` override the
        values stored in the model's config.
        """
        check_overrides(threshold=threshold, max_length=max_length, stride=stride)
        if fast_backend(quantize) is not None and device not in (None, "cpu"):
            raise ValueError("quantize is a CPU optimisation; use device='cpu'")
        directory = resolve_model_dir(name_or_path)
        config, settings = load_config(directory, threshold=threshold, max_length=max_length, stride=stride)
        tokenizer = load_tokenizer(directory)
        backend, suffix = load_backend(directory, config, tokenizer, settings, quantize=quantize, device=device)
        return cls(backend, tokenizer, settings, name=display_name(name_or_path) + suffix)

    def save_pretrained(self, directory: str | os.PathLike) -> Path:
        """Write a self-contained model directory (config.json, model.safetensors, tokenizer)."""
        from ..modeling import save_weights

        model = self.model
        if model is None:
            raise TypeError(f"{type(self.backend).__name__} runs inference only; save the PyTorch model instead")
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        config = model.config
        config.netral = self.settings.to_dict()
        config.id2label = dict(enumerate(self.settings.labels))
        config.label2id = {v: k for k, v in config.id2label.items()}
        config.save_pretrained(out)
        self.tokenizer.save_pretrained(out)
        save_weights(model, out)
        return out

    # --------------------------------------------------------------- properties
    @property
    def model(self) -> torch.nn.Module | None:
        """The PyTorch model (None when the forward pass runs in ONNX Runtime)."""
        return self.backend.model if isinstance(self.backend, TorchBackend) else None

    @property
    def device(self) -> torch.device:
        return self.backend.device

    @property
    def threshold(self) -> float:
        return self.settings.threshold

    @property
    def categories(self) -> list[str]:
        return list(self.settings.categories)

    # --------------------------------------------------------------- prediction
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
        return self.predictions(texts, self.forward_texts(texts, batch_size, progress), threshold, with_spans)

    def forward_texts(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> DocumentRun:
        """One pass of the model over ``texts``: the uncalibrated log-odds and token probabilities
        of each, from which calibration, threshold and predictions can all be computed without
        running the model again (training does this on the dev set). Empty texts are not run."""
        todo = [i for i, t in enumerate(texts) if t.strip()]
        norms = [self.normalizer(texts[i]) for i in todo]
        z, token_probs = (self.score_windows([n.text for n in norms], batch_size, progress, log_odds=True)
                          if todo else (np.zeros(0), []))
        return DocumentRun(todo, norms, np.asarray(z, dtype=np.float64), token_probs)

    def predictions(self, texts: list[str], run: DocumentRun, threshold: float | None = None,
                    with_spans: bool = True) -> PredictionList:
        """The predictions for ``texts`` from their :meth:`forward_texts` run, with the current
        settings (calibration, span decoding) and ``threshold`` (None: the model's)."""
        s = self.settings
        thr = s.threshold if threshold is None else float(threshold)
        out: list[Prediction] = [Prediction(text=t, label=NEUTRAL, score=0.0, spans=[]) for t in texts]
        scores = calibrate(run.log_odds, s.calibration)
        for j, i in enumerate(run.indices):
            score = float(scores[j])
            label = PARTISAN if score >= thr else NEUTRAL
            found = []
            if with_spans and (label == PARTISAN or s.spans_for_neutral):
                offsets, probs = run.token_probs[j]
                found = decode_spans(run.norms[j], offsets, probs, s.categories, s.span_threshold, s.span_merge_gap)
            out[i] = Prediction(text=texts[i], label=label, score=round(score, 6), spans=found)
        return PredictionList(out)

    def score_windows(self, norm_texts: list[str], batch_size: int = 32, progress: bool = False,
                      sort_by_length: bool = True, log_odds: bool = False):
        """Run the model over normalized texts.

        Returns the calibrated P(partisan) per text (max over its windows; with ``log_odds``
        the uncalibrated log-odds instead, from which calibration is fitted) and, per text, the
        token offsets (normalized chars) with tag probabilities averaged over the windows that
        saw each token. Windows are batched by sorted length (``sort_by_length``), so padding
        is small.
        """
        s = self.settings
        windows = window_texts(self.tokenizer, norm_texts, s.max_length, s.stride)
        seq_z, tag_p = forward_windows(self.backend, windows, self.tokenizer.pad_token_id or 0, batch_size,
                                       s.labels.index(PARTISAN), progress, sort_by_length)
        z, token_probs = merge_windows(windows, seq_z, tag_p, len(norm_texts), len(s.tags))
        return (z if log_odds else calibrate(z, s.calibration)), token_probs

    def __repr__(self) -> str:
        cfg = self.backend.config
        return (f"NeutralityClassifier({self.name!r}, encoder={getattr(cfg, 'model_type', '?')}, "
                f"layers={getattr(cfg, 'num_hidden_layers', '?')}, threshold={self.threshold}, "
                f"max_length={self.settings.max_length}, stride={self.settings.stride})")


@dataclass
class DocumentRun:
    """What :meth:`NeutralityClassifier.forward_texts` computed: for the non-empty texts (their
    ``indices``), the normalized texts, uncalibrated log-odds and token probabilities."""

    indices: list[int]
    norms: list
    log_odds: np.ndarray
    token_probs: list


def onnx_classifier(name_or_path: str | os.PathLike | None = None, *, quantize: bool = True,
                    cache_dir: str | os.PathLike | None = None, threads: int | None = None,
                    **overrides) -> NeutralityClassifier:
    """A :class:`NeutralityClassifier` whose forward pass runs in ONNX Runtime (``quantize``: int8).

    With ``cache_dir`` the export is kept and reused while it is newer than the model's weights
    (a cache hit never builds the PyTorch model); without it, it is exported to a temporary
    directory and removed once loaded. ``overrides``: ``threshold``, ``max_length``, ``stride``.
    """
    directory = resolve_model_dir(name_or_path)
    config, settings = load_config(directory, **overrides)
    tokenizer = load_tokenizer(directory)
    backend = OnnxBackend.from_directory(directory, config, tokenizer, settings, quantize=quantize,
                                         cache_dir=cache_dir, threads=threads)
    suffix = " [onnx int8]" if quantize else " [onnx]"
    return NeutralityClassifier(backend, tokenizer, settings, name=display_name(name_or_path) + suffix)
