"""Training features: examples -> token windows with a document label and one BIO tag per token."""
from __future__ import annotations

from ..data import Example
from ..inference.windows import normalized_spans, tags_for_window, window_texts
from ..labels import IGNORE_INDEX, PARTISAN
from ..normalize import Normalizer
from ..settings import NetralSettings


def featurize(examples: list[Example], tokenizer, settings: NetralSettings) -> list[dict]:
    """Token windows with a document label (is this window partisan?) and BIO tags per token.

    A window of a partisan text is labelled partisan when it contains part of a gold span (or
    when the text has no span annotation at all); other windows are neutral, because the
    document score is the maximum over windows. Label-only examples (``spans is None``) get no
    token loss.
    """
    normalizer = Normalizer(settings.normalization)
    cat_index = {c: i for i, c in enumerate(settings.categories)}
    norms = [normalizer(e.text) for e in examples]
    windows = window_texts(tokenizer, [n.text for n in norms], settings.max_length, settings.stride)
    feats = []
    for w in windows:
        ex = examples[w.doc]
        is_partisan = ex.label == PARTISAN
        if ex.spans is None:
            tags = [IGNORE_INDEX] * len(w)
            label = int(is_partisan)
        else:
            spans = normalized_spans(norms[w.doc], ex.spans, cat_index) if is_partisan else []
            tags = tags_for_window(w, spans)
            label = int(is_partisan and (not spans or any(t > 0 for t in tags)))
        f = {"input_ids": w.input_ids, "labels": label, "tag_labels": tags, "length": len(w)}
        if w.token_type_ids is not None:
            f["token_type_ids"] = w.token_type_ids
        feats.append(f)
    return feats
