"""Find a model directory (local, shipped default, or Hugging Face Hub) and read its parts:
config, netral settings, tokenizer. The weights are left to :mod:`.backends`."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import ModelNotAvailableError
from ..settings import NetralSettings, check_overrides

DEFAULT_MODEL_NAME = "netral-mini"


def default_model_path() -> Path:
    """The shipped default model: packaged in the wheel, or ``models/`` in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for cand in (here / "default_model", here.parent / "models" / DEFAULT_MODEL_NAME):
        if (cand / "config.json").exists():
            return cand
    raise ModelNotAvailableError(
        "the default model is not installed (looked in netral_nlp/default_model and "
        f"models/{DEFAULT_MODEL_NAME}); pass a model directory to from_pretrained()"
    )


def resolve_model_dir(name_or_path: str | os.PathLike | None) -> Path:
    """None: the shipped model; a local directory as is; otherwise a Hub id fetched (or found in
    the cache) by huggingface_hub."""
    if name_or_path is None:
        return default_model_path()
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


def display_name(name_or_path: str | os.PathLike | None) -> str:
    return str(name_or_path or DEFAULT_MODEL_NAME)


def load_config(directory: Path, **overrides) -> tuple[object, NetralSettings]:
    """The encoder's transformers config and the netral settings of a model directory.

    ``overrides`` (``threshold``, ``max_length``, ``stride``; None: keep) replace stored values.
    """
    from transformers import AutoConfig

    from ..modeling import max_window_tokens

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
    for key in overrides:
        if key not in ("threshold", "max_length", "stride"):
            raise TypeError(f"unexpected override {key!r}; expected threshold, max_length or stride")
    check_overrides(**overrides)
    for key, value in overrides.items():
        if value is not None:
            setattr(settings, key, value)
    limit = max_window_tokens(config)
    if limit is not None and settings.max_length > limit:
        raise ValueError(f"max_length {settings.max_length} is more than the {limit} tokens the encoder of "
                         f"{directory} has positions for; use max_length <= {limit} (longer texts are read "
                         "in overlapping windows)")
    return config, settings


def load_tokenizer(directory: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(directory, local_files_only=True, trust_remote_code=False)
