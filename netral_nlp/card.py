"""Generated model card (``README.md`` of a model directory)."""
from __future__ import annotations

from pathlib import Path

METRIC_ROWS = [
    ("macro_f1", "label macro-F1"),
    ("partisan_precision", "partisan precision"),
    ("partisan_recall", "partisan recall"),
    ("roc_auc", "ROC-AUC"),
    ("span_char_f1", "span character-F1 (all texts)"),
    ("span_char_f1_partisan", "span character-F1 (partisan texts)"),
    ("span_iou_f1", "span token IoU-F1"),
]


def metrics_table(columns: dict[str, dict | None]) -> str:
    """A Markdown table: one row per metric, one column per named metrics dict."""
    names = list(columns)
    lines = ["| metric | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    for key, title in METRIC_ROWS:
        cells = []
        for n in names:
            v = (columns[n] or {}).get(key)
            cells.append("n/a" if v is None else f"{v:.3f}")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_model_card(out: Path, cfg, dev_metrics: dict | None, n_train: int, n_dev: int, seconds: float,
                     extra: str = "") -> Path:
    enc = (f"trained from scratch (BERT, {cfg.scratch.num_hidden_layers} layers, hidden "
           f"{cfg.scratch.hidden_size}, vocabulary {cfg.scratch.vocab_size})" if cfg.scratch
           else f"fine-tuned from `{cfg.base_model}`")
    parts = [
        f"# {cfg.model_name}",
        "",
        "A netral-nlp model: labels Indonesian texts by civil servants (ASN) `partisan` or `neutral` "
        "and highlights the spans that triggered the label (categories: endorsement, vote_call, attack, "
        "campaign_symbol, campaign_sharing, campaign_activity, abuse_of_office).",
        "",
        "## Training",
        f"- Encoder: {enc}; joint sequence head + BIO token head, token loss weight {cfg.token_loss_weight}.",
        f"- {n_train} training examples, {n_dev} dev examples; {cfg.epochs} epochs, batch {cfg.batch_size}, "
        f"learning rate {cfg.learning_rate}, window {cfg.max_length} tokens, stride {cfg.stride}, seed {cfg.seed}.",
        f"- Training time: {seconds / 60:.1f} min.",
        "",
        "## Dev metrics",
        metrics_table({"dev": dev_metrics}) if dev_metrics else "No dev set was given.",
        "",
    ]
    if dev_metrics:
        parts += [f"Decision threshold on P(partisan): {dev_metrics.get('threshold', 0.5):.3f} (chosen on dev).", ""]
    parts += [
        "## Use",
        "```python",
        "from netral_nlp import NeutralityClassifier",
        "clf = NeutralityClassifier.from_pretrained(\"path/to/this/dir\")",
        "clf.predict(\"Ayo coblos nomor 2!\")",
        "```",
        "",
        "## Limits",
        "- Flags texts for human review; it is not a legal finding of a neutrality breach.",
        "- Quality depends on how close your texts are to the training data.",
        "",
    ]
    if extra:
        parts += [extra, ""]
    path = out / "README.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
