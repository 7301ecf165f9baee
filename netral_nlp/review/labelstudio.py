"""Label Studio: tasks with the model's pre-annotations, the labelling config, and the JSON export
read back as training examples.

Tasks (``netral export-review``) are Label Studio's JSON import format: ``data.text`` is the
text, ``data.netral_key``/``data.netral_key_column`` name the scored row, and one ``prediction``
holds the model's label (a ``choices`` result) and spans (``labels`` results with character
offsets) so the reviewer corrects rather than starts from nothing. The config
(:func:`label_config`) has a ``Choices`` named ``label`` and a ``Labels`` named ``spans`` over a
``Text`` named ``text``; the values are the stable English keys and the hints are in the chosen
language.

The export (``netral import-review``) is read task by task: the reviewer's annotation becomes a
training record (``id``, ``text``, ``label``, ``spans``, and a ``review`` note); a task without a
submitted annotation is *skipped*, annotations that disagree are a *conflict*, an annotation
without a label, with spans that do not match the text or with spans on a neutral text is
*invalid*. Each such task is reported, never dropped silently.
"""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..i18n import category_description, category_name, get_language
from ..labels import CATEGORIES, LABELS, NEUTRAL, PARTISAN
from ..render.html import color
from .checks import ImportResult, Problem, SpanError, checked_span
from .select import ReviewItem

LABEL_FROM, SPANS_FROM, TEXT_TO = "label", "spans", "text"

_INSTRUCTIONS = {
    "id": ("Periksa label dan span dari model. Partisan: mendukung atau menentang peserta pemilu. "
           "Netral: informasi kepemiluan, imbauan memilih, berita faktual. Tandai bagian teks yang "
           "membuatnya partisan dengan kategorinya; teks netral tidak punya span."),
    "en": ("Check the model's label and spans. Partisan: supports or opposes an election contestant. "
           "Neutral: civic information, urging people to vote, factual news. Mark the parts of the text "
           "that make it partisan with their category; a neutral text has no spans."),
}


def label_config(lang: str | None = None) -> str:
    """The labelling config (XML) for the tasks of :func:`tasks_for_review`."""
    lang = get_language(lang)
    labels = "\n".join(
        f"    <Label value={quoteattr(c)} background={quoteattr(color(c))} "
        f"hint={quoteattr(category_name(c, lang) + ': ' + category_description(c, lang))}/>"
        for c in CATEGORIES)
    choices = "\n".join(f"    <Choice value={quoteattr(lab)}/>" for lab in (PARTISAN, NEUTRAL))
    return (f"<View>\n  <Header value={quoteattr(_INSTRUCTIONS[lang])}/>\n"
            f'  <Labels name="{SPANS_FROM}" toName="{TEXT_TO}">\n{labels}\n  </Labels>\n'
            f'  <Text name="{TEXT_TO}" value="$text"/>\n'
            f'  <Choices name="{LABEL_FROM}" toName="{TEXT_TO}" choice="single-radio" showInline="true" '
            f'required="true">\n{choices}\n  </Choices>\n</View>\n')


def _prediction(item: ReviewItem, model_version: str) -> dict:
    result = [{"id": "label", "from_name": LABEL_FROM, "to_name": TEXT_TO, "type": "choices",
               "value": {"choices": [item.label]}}]
    for k, s in enumerate(item.spans):
        result.append({"id": f"span{k}", "from_name": SPANS_FROM, "to_name": TEXT_TO, "type": "labels",
                       "score": s.get("score"),
                       "value": {"start": s["start"], "end": s["end"], "text": item.text[s["start"]:s["end"]],
                                 "labels": [s["category"]]}})
    return {"model_version": model_version, "score": item.score, "result": result}


def tasks_for_review(items: list[ReviewItem], key_column: str, model_version: str = "netral") -> list[dict]:
    """Label Studio tasks (JSON import format) for ``items``, the model's view as a prediction."""
    return [{"data": {"text": it.text, "netral_key": it.key, "netral_key_column": key_column,
                      "netral_label": it.label, "netral_score": round(it.score, 6)},
             "predictions": [_prediction(it, model_version)]} for it in items]


def _review(annotation: dict, text: str) -> tuple[str | None, list[dict]]:
    """(label, spans) of one annotation; raises SpanError/ValueError on a malformed result."""
    label, spans = None, []
    for r in annotation.get("result") or []:
        value = r.get("value") or {}
        if r.get("type") == "choices" and r.get("from_name") == LABEL_FROM:
            picked = value.get("choices") or []
            if len(picked) != 1 or picked[0] not in LABELS:
                raise ValueError(f"label choice {picked!r}; expected one of {list(LABELS)}")
            label = picked[0]
        elif r.get("type") == "labels" and r.get("from_name") == SPANS_FROM:
            cats = value.get("labels") or []
            if len(cats) != 1:
                raise ValueError(f"a span with {len(cats)} categories {cats!r}; give each span one")
            spans.append(checked_span(text, value.get("start"), value.get("end"), cats[0], value.get("text")))
    uniq = {(s["start"], s["end"], s["category"]): s for s in spans}
    return label, sorted(uniq.values(), key=lambda s: (s["start"], s["end"], s["category"]))


def _one_task(task: dict, prefer: str) -> tuple[dict | None, Problem | None]:
    tid = str(task.get("id", "?"))
    data = task.get("data") or {}
    key = data.get("netral_key")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        return None, Problem(tid, key, "invalid", "the task has no text")
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not done:
        skipped = any(a.get("was_cancelled") for a in task.get("annotations") or [])
        return None, Problem(tid, key, "skipped", "skipped by the reviewer" if skipped else "not annotated")
    reviews = []
    for a in done:
        try:
            label, spans = _review(a, text)
        except (SpanError, ValueError) as err:
            return None, Problem(tid, key, "invalid", f"annotation {a.get('id')}: {err}")
        if label is None:
            return None, Problem(tid, key, "invalid", f"annotation {a.get('id')}: no label chosen")
        if label == NEUTRAL and spans:
            return None, Problem(tid, key, "invalid", f"annotation {a.get('id')}: a neutral text with spans")
        reviews.append((a, label, spans))
    truth = [r for r in reviews if r[0].get("ground_truth")]
    if truth:
        reviews = truth
    if len({(lab, tuple((s["start"], s["end"], s["category"]) for s in sp)) for _, lab, sp in reviews}) > 1:
        if prefer != "latest":
            return None, Problem(tid, key, "conflict", f"{len(reviews)} annotations disagree; settle it in "
                                 "Label Studio (or mark one ground truth), or use --prefer latest")
        reviews.sort(key=lambda r: (str(r[0].get("updated_at") or r[0].get("created_at") or ""), r[0].get("id", 0)))
    a, label, spans = reviews[-1]
    record = {"id": str(key) if key is not None else f"ls-{tid}", "text": text, "label": label, "spans": spans,
              "review": {"tool": "label-studio", "task": task.get("id"), "annotation": a.get("id"),
                         "annotator": a.get("completed_by"), "model_label": data.get("netral_label"),
                         "model_score": data.get("netral_score")}}
    return record, None


def read_export(tasks: list, prefer: str = "agree", sent: list | None = None) -> ImportResult:
    """Training records and problems from a Label Studio JSON export (a list of tasks).

    ``prefer="agree"`` (default) reports tasks whose annotations disagree as conflicts; a
    ground-truth annotation settles it. ``prefer="latest"`` takes the latest annotation instead.
    ``sent``: the tasks given to Label Studio (:func:`tasks_for_review`); those absent from the
    export (Label Studio exports only annotated tasks by default) are reported as ``missing``.
    """
    if not isinstance(tasks, list):
        raise ValueError("a Label Studio JSON export is a list of tasks")
    out = ImportResult()
    for task in tasks:
        if not isinstance(task, dict):
            out.problems.append(Problem("?", None, "invalid", f"not a task object: {type(task).__name__}"))
            continue
        record, problem = _one_task(task, prefer)
        if record is not None:
            out.examples.append(record)
        else:
            out.problems.append(problem)
    if sent:
        seen = {str((t.get("data") or {}).get("netral_key")) for t in tasks if isinstance(t, dict)}
        for t in sent:
            key = (t.get("data") or {}).get("netral_key")
            if key is not None and str(key) not in seen:
                out.problems.append(Problem("-", str(key), "missing", "not in the export (never annotated, or "
                                            "filtered out when exporting)"))
    return out
