"""Generated model card (``README.md`` of a model directory)."""
from __future__ import annotations

from pathlib import Path

from ..corpora.manifest import attribution, load_manifest

METRIC_ROWS = [
    ("macro_f1", "label macro-F1"),
    ("partisan_precision", "partisan precision"),
    ("partisan_recall", "partisan recall"),
    ("false_positive_rate", "false-positive rate (neutral texts flagged)"),
    ("roc_auc", "ROC-AUC"),
    ("ece", "expected calibration error"),
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
    pretrained_here = cfg.scratch is None and (Path(cfg.base_model) / "pretraining.json").is_file()
    enc = (f"trained from scratch (BERT, {cfg.scratch.num_hidden_layers} layers, hidden "
           f"{cfg.scratch.hidden_size}, vocabulary {cfg.scratch.vocab_size})" if cfg.scratch
           else "fine-tuned from a small BERT pretrained here on real Indonesian (`tools/pretrain_encoder.py`, "
           "see Training data)" if pretrained_here
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
        f"learning rate {cfg.learning_rate}, window {cfg.settings.max_length} tokens, stride {cfg.settings.stride}, seed {cfg.seed}.",
        *([f"- Before fine-tuning, the encoder was trained as a masked language model on the training "
           f"texts for {cfg.mlm_epochs:g} epochs (masking {cfg.mlm_probability:.0%} of tokens, learning rate "
           f"{cfg.mlm_learning_rate})."] if cfg.mlm_epochs else []),
        f"- Training time: {seconds / 60:.1f} min (everything, from building the encoder to choosing the threshold).",
        "",
        "## Dev metrics",
        metrics_table({"dev": dev_metrics}) if dev_metrics else "No dev set was given.",
        "",
    ]
    if dev_metrics:
        parts += [f"Decision threshold on P(partisan): {dev_metrics.get('threshold', 0.5):.3f} (chosen on dev)."
                  + (" P(partisan) is calibrated by Platt scaling fitted on dev: sigmoid({:.3f} x log-odds {:+.3f})."
                     .format(*dev_metrics["calibration"]) if dev_metrics.get("calibration") else ""), ""]
    if cfg.scratch:
        parts += [
            "## From scratch, on a synthetic corpus",
            "No pretrained weights were reachable where this model was built, so its encoder (and its "
            "WordPiece vocabulary) was trained from scratch on the project's hand-written corpus "
            "(`netral_nlp/data/`): about 2,700 texts with invented candidates, parties and slogans. It "
            "knows the project's invented election universe and the style of the corpus; it has not "
            "read real Indonesian at scale. Expect lower accuracy on real posts, on names and slogans "
            "it never saw, and on topics outside the corpus.",
            "",
            "For production accuracy, fine-tune IndoBERT on your own annotated posts where the Hugging "
            "Face Hub is reachable (a GPU helps; on CPU expect hours):",
            "",
            "```bash",
            "netral train --base-model indobenchmark/indobert-base-p1 --train my_train.jsonl "
            "--dev my_dev.jsonl -o my-model --epochs 4 --learning-rate 3e-5 --max-length 256 --stride 64",
            "netral evaluate --model my-model --data my_test.jsonl",
            "```",
            "",
            "Start from this corpus plus a few hundred posts of your own, annotated with "
            "`netral_nlp/data/README.md`; see `notebooks/fine_tune_indobert.ipynb`.",
            "",
        ]
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
        "- The decision threshold was chosen on a dev set with about half partisan texts; in real "
        "monitoring partisan posts are rare, so check precision on your own data and raise the "
        "threshold (`predict(..., threshold=...)`, `netral score --threshold`) where needed.",
        "- Quality depends on how close your texts are to the training data.",
        "",
    ]
    if extra:
        parts += [extra, ""]
    path = out / "README.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def data_section(data: dict, pretraining: dict | None) -> str:
    """Training data, pretraining and licences, for a model trained on real texts (else "")."""
    if not data.get("real_annotated") and not data.get("real_negatives") and not pretraining:
        return ""
    lines = ["## Training data and licences",
             f"- {data['hand_written']} hand-written examples of the project corpus (`netral_nlp/data/`, invented "
             f"names; Apache-2.0), {data['real_annotated']} real texts annotated by the project "
             f"(`corpus/real/annotations.jsonl`: pointers, labels and spans), {data['real_negatives']} unannotated "
             f"real texts from non-election registers as neutral label-only examples, and {data['augmented']} "
             "augmented copies (name/number swaps, slang, plain style, obfuscations, real contestants renamed)."]
    if pretraining:
        lines.append(pretraining_line(pretraining))
    lines += [
        "- Real texts (read from the corpora folder at training time, never redistributed with the project; "
        "`netral data fetch` rebuilds it from the public sources pinned in `netral_nlp/data/corpora_manifest.json` "
        "and checks every file's sha1). Sources and licences (ShareAlike sources are credited here):",
        *(f"  - {line}" for line in attribution(load_manifest())),
        "- The real tweets are from 2023, about three real candidates; real-test holds out one candidate's "
        "tweets, everyday tweets, hotel reviews and news sentences entirely (see the real-text metrics).",
    ]
    return "\n".join(lines)


def pretraining_line(pretraining: dict) -> str:
    """The encoder's pretraining in one line: tokens seen, and the held-out masked-LM loss beside the
    unigram entropy of the same masked tokens (a model that ignores context reaches the entropy)."""
    held = [e for e in pretraining.get("log") or [] if "heldout_loss" in e]
    h = held[-1] if held else pretraining.get("heldout")
    tokens = (h or {}).get("tokens_seen") or pretraining.get("tokens_seen")
    line = "- Encoder pretrained here as a masked language model (`tools/pretrain_encoder.py`)"
    if tokens:
        line += f", {tokens:,} tokens seen"
    if not h:
        return line + "; no held-out figure recorded."
    line += (f": held-out masked-LM loss {h['heldout_loss']:.2f} nats against a unigram entropy of "
             f"{h['unigram_entropy']:.2f} for the same masked tokens ({h['unigram_entropy'] - h['heldout_loss']:.2f} "
             f"below it), masked-token accuracy {h['heldout_accuracy']:.3f}")
    return line + (f". {h['note'][0].upper()}{h['note'][1:]}." if h.get("note") else ".")


CARD_START, CARD_END = "<!-- test-metrics:start -->", "<!-- test-metrics:end -->"


def update_card_section(card: Path, body: str) -> None:
    """Put ``body`` between the test-metrics markers of a model card (appended if absent)."""
    text = card.read_text(encoding="utf-8")
    block = f"{CARD_START}\n{body.strip()}\n{CARD_END}"
    if CARD_START in text and CARD_END in text:
        a, b = text.index(CARD_START), text.index(CARD_END) + len(CARD_END)
        text = text[:a] + block + text[b:]
    else:
        marker = "## Use"
        text = text.replace(marker, block + "\n\n" + marker, 1) if marker in text else text + "\n" + block + "\n"
    card.write_text(text, encoding="utf-8")
