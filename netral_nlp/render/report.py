"""A self-contained HTML report of a scoring run (``netral score --report report.html``).

The aggregates are built incrementally while the file streams past (:class:`ReportBuilder`:
counts, score histogram bins, span-category counts, a heap of the top-N most partisan texts),
so a report costs no second pass and no memory that grows with the input. The builder's state
is JSON, saved with each committed chunk so that ``--resume`` produces the same report.

The page has inline CSS and inline SVG charts only: no script, no external URL. All user text
is escaped by :mod:`.html`, which also highlights the spans and cuts the excerpts.
"""
from __future__ import annotations

import datetime as _dt
import heapq
import math
import os
from collections.abc import Sequence
from pathlib import Path

from .._version import __version__
from ..i18n import (
    category_description,
    category_name,
    fmt_float,
    fmt_int,
    fmt_pct,
    get_language,
    label_name,
    msg,
    plural,
)
from ..labels import CATEGORIES, PARTISAN
from ..predictions import span_record, spans_from_records
from .html import ERROR_COLOR, NEUTRAL_COLOR, PARTISAN_COLOR, color, esc, excerpt, highlight_html

EXCERPT_CHARS = 1200


def _error_kind(err: str) -> str:
    return err.split(":", 1)[0].strip() or "error"


class ReportBuilder:
    """Running aggregates of scored chunks (the output of :func:`netral_nlp.batch.rows.score_chunk`)."""

    def __init__(self, top_n: int = 20, bins: int = 20):
        if top_n < 0 or bins < 1:
            raise ValueError("top_n must be >= 0 and bins >= 1")
        self.top_n, self.bins = top_n, bins
        self.rows = self.scored = self.partisan = self.errors = 0
        self.hist = [0] * bins
        self.span_counts: dict[str, int] = {}
        self.text_counts: dict[str, int] = {}
        self.error_kinds: dict[str, int] = {}
        self.key_column: str | None = None
        self._heap: list[list] = []  # [score, -seq, key, excerpt, spans, cut_before, cut_after]

    # ------------------------------------------------------------------ aggregating
    def add(self, scored, texts: Sequence) -> None:
        """Add one scored chunk; ``texts`` are the chunk's input texts, in the same order."""
        key_col = scored.columns[0]
        self.key_column = self.key_column or str(key_col)
        cols = [scored[c].tolist() for c in (key_col, "label", "score", "spans", "error")]
        for j, (key, label, score, spans, err) in enumerate(zip(*cols)):
            seq = self.rows + j
            if isinstance(err, str):
                self.errors += 1
                kind = _error_kind(err)
                self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
                continue
            if score is None or (isinstance(score, float) and math.isnan(score)):
                continue
            self.scored += 1
            self.hist[min(max(int(score * self.bins), 0), self.bins - 1)] += 1
            found = spans_from_records(spans) if isinstance(spans, str) else []
            for cat in {s.category for s in found}:
                self.text_counts[cat] = self.text_counts.get(cat, 0) + 1
            for s in found:
                self.span_counts[s.category] = self.span_counts.get(s.category, 0) + 1
            if label != PARTISAN:
                continue
            self.partisan += 1
            if self.top_n and (len(self._heap) < self.top_n or [score, -seq] > self._heap[0][:2]):
                text = texts[j] if isinstance(texts[j], str) else ""
                ex = excerpt(text, found, EXCERPT_CHARS)
                item = [float(score), -seq, None if key is None else str(key), ex.text,
                        [span_record(s) for s in ex.spans], ex.cut_before, ex.cut_after]
                if len(self._heap) < self.top_n:
                    heapq.heappush(self._heap, item)
                else:
                    heapq.heapreplace(self._heap, item)
        self.rows += len(scored)

    def top(self) -> list[dict]:
        """The most partisan texts, highest score first (ties: earliest row first)."""
        return [{"score": it[0], "row": -it[1], "key": it[2], "text": it[3], "spans": it[4],
                 "cut_before": it[5], "cut_after": it[6]} for it in sorted(self._heap, reverse=True)]

    # ----------------------------------------------------------------------- state
    def to_state(self) -> dict:
        return {"top_n": self.top_n, "bins": self.bins, "rows": self.rows, "scored": self.scored,
                "partisan": self.partisan, "errors": self.errors, "hist": self.hist,
                "span_counts": self.span_counts, "text_counts": self.text_counts,
                "error_kinds": self.error_kinds, "key_column": self.key_column, "heap": self._heap}

    @classmethod
    def from_state(cls, state: dict) -> ReportBuilder:
        b = cls(top_n=state["top_n"], bins=state["bins"])
        for k in ("rows", "scored", "partisan", "errors", "hist", "span_counts", "text_counts",
                  "error_kinds", "key_column"):
            setattr(b, k, state[k])
        b._heap = [list(it) for it in state["heap"]]
        heapq.heapify(b._heap)
        return b

    # ---------------------------------------------------------------------- render
    def html(self, meta: dict | None = None, title: str | None = None, lang: str | None = None) -> str:
        """The page; ``lang`` ``id`` or ``en`` (default: :func:`netral_nlp.i18n.get_language`)."""
        return render_html(self, meta or {}, title, lang)

    def write(self, path: str | os.PathLike, meta: dict | None = None, **kw) -> Path:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.html(meta, **kw), encoding="utf-8")
        os.replace(tmp, path)
        return path


def report_html(scored, texts: Sequence, meta: dict | None = None, top_n: int = 20, lang: str | None = None) -> str:
    """The report of an already scored frame (e.g. from :func:`netral_nlp.score_frame`), in ``lang``
    (``id`` or ``en``; default: :func:`netral_nlp.i18n.get_language`, Indonesian unless set)."""
    b = ReportBuilder(top_n=top_n)
    b.add(scored, list(texts))
    return b.html(meta, lang=lang)


# -------------------------------------------------------------------------------------- charts
def _share_svg(b: ReportBuilder, lang: str) -> str:
    w, h = 900, 34
    parts = [("partisan", b.partisan, PARTISAN_COLOR), ("neutral", b.scored - b.partisan, NEUTRAL_COLOR),
             ("error", b.errors, ERROR_COLOR)]
    total = max(b.rows, 1)
    x, rects = 0.0, []
    for name, n, col in parts:
        if n <= 0:
            continue
        width = w * n / total
        label = f"{label_name(name, lang)} {fmt_int(n, lang)} ({fmt_pct(n, b.rows, lang)})"
        rects.append(f'<rect class="share-{name}" x="{x:.2f}" y="0" width="{width:.2f}" height="{h}" '
                     f'fill="{col}"><title>{esc(label)}</title></rect>')
        if width > 7.5 * len(label) + 16:
            rects.append(f'<text x="{x + 8:.2f}" y="{h / 2 + 5:.1f}" fill="white" font-size="13" '
                         f'font-weight="600">{esc(label)}</text>')
        x += width
    if not rects:
        rects.append(f'<rect x="0" y="0" width="{w}" height="{h}" fill="#f3f4f6"/>')
    return (f'<svg class="chart share" role="img" aria-label="{esc(msg("share.aria", lang))}" width="100%" '
            f'viewBox="0 0 {w} {h}">{"".join(rects)}</svg>')


def _category_svg(b: ReportBuilder, lang: str) -> str:
    cats = list(CATEGORIES) + sorted(c for c in b.span_counts if c not in CATEGORIES)
    label_w, bar_w, row_h, w = 210, 520, 28, 900
    top = max([b.span_counts.get(c, 0) for c in cats] + [1])
    rows = []
    for k, c in enumerate(cats):
        n, texts = b.span_counts.get(c, 0), b.text_counts.get(c, 0)
        y = k * row_h
        width = bar_w * n / top
        name = category_name(c, lang)
        counts = msg("cat.bar", lang, spans=fmt_int(n, lang), texts=fmt_int(texts, lang),
                     s_spans=plural(n, lang), s_texts=plural(texts, lang))
        rows.append(
            f'<g class="cat-bar" data-category="{esc(c)}"><title>{esc(name)}: '
            f'{esc(category_description(c, lang))}</title>'
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" font-size="13">{esc(name)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(width, 1 if n else 0):.2f}" height="{row_h - 8}" '
            f'rx="3" fill="{color(c)}" stroke="#6b7280" stroke-width="0.5"/>'
            f'<text x="{label_w + width + 6:.2f}" y="{y + 18}" font-size="12" fill="#374151">'
            f'{esc(counts)}</text></g>')
    h = len(cats) * row_h
    return (f'<svg class="chart categories" role="img" aria-label="{esc(msg("cat.aria", lang))}" width="100%" '
            f'viewBox="0 0 {w} {h}">{"".join(rows)}</svg>')


def _histogram_svg(b: ReportBuilder, threshold: float | None, lang: str) -> str:
    w, h, left, bottom, top_pad = 900, 260, 64, 34, 18
    plot_w, plot_h = w - left - 16, h - bottom - top_pad
    peak = max(b.hist + [1])
    bw = plot_w / b.bins
    out = []
    for v in sorted({0, round(peak / 2), peak}):  # y grid at whole numbers of texts
        y = top_pad + plot_h * (1 - v / peak)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#6b7280">'
                   f'{fmt_int(v, lang)}</text>')
    out.append(f'<text x="14" y="{top_pad + plot_h / 2:.1f}" font-size="12" fill="#374151" text-anchor="middle" '
               f'transform="rotate(-90 14 {top_pad + plot_h / 2:.1f})">{esc(msg("hist.texts", lang))}</text>')
    for i, n in enumerate(b.hist):
        lo = i / b.bins
        bh = plot_h * n / peak
        col = PARTISAN_COLOR if threshold is not None and lo >= threshold else "#60a5fa"
        out.append(f'<rect class="hist-bar" x="{left + i * bw + 1:.2f}" y="{top_pad + plot_h - bh:.2f}" '
                   f'width="{bw - 2:.2f}" height="{bh:.2f}" fill="{col}"><title>{fmt_float(lo, 2, lang)}–'
                   f'{fmt_float(lo + 1 / b.bins, 2, lang)}: {esc(msg("hist.bar", lang, n=fmt_int(n, lang)))}'
                   f'</title></rect>')
    base = top_pad + plot_h
    out.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#374151"/>')
    for k in range(0, 11, 2):
        x = left + plot_w * k / 10
        out.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="11" fill="#374151">'
                   f'{fmt_float(k / 10, 1, lang)}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{h - 2}" text-anchor="middle" font-size="12" '
               f'fill="#374151">P(partisan)</text>')
    if threshold is not None:
        x = left + plot_w * threshold
        out.append(f'<line class="threshold" x1="{x:.1f}" y1="{top_pad - 6}" x2="{x:.1f}" y2="{base}" '
                   f'stroke="#111827" stroke-dasharray="4 3"/><text x="{x + 4:.1f}" y="{top_pad + 4}" '
                   f'font-size="11" fill="#111827">'
                   f'{esc(msg("hist.threshold", lang, t=fmt_float(threshold, 2, lang)))}</text>')
    return (f'<svg class="chart histogram" role="img" aria-label="{esc(msg("hist.aria", lang))}" width="100%" '
            f'viewBox="0 0 {w} {h}">{"".join(out)}</svg>')


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#111827;
background:#f9fafb;margin:0}
main{max-width:1040px;margin:0 auto;padding:24px 32px 48px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.15em;margin:28px 0 10px}
.meta{color:#4b5563;font-size:.9em;margin:0 0 18px}.meta code{background:#eef2f7;padding:0 4px;border-radius:3px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:white;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px;min-width:150px}
.card .num{font-size:1.6em;font-weight:700}.card .lbl{color:#4b5563;font-size:.85em}
.card.partisan .num{color:@PARTISAN@}.card.neutral .num{color:@NEUTRAL@}.card.errors .num{color:#6b7280}
section{background:white;border:1px solid #e5e7eb;border-radius:8px;padding:4px 18px 16px;margin-top:16px}
table{border-collapse:collapse;width:100%;font-size:.92em}table.errors{width:auto;min-width:50%}
table.top td.text{width:62%}
th,td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6;font-weight:600}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.text{line-height:1.55;word-break:break-word}
.legend span{display:inline-block;margin:2px 6px 2px 0;padding:0 6px;border-radius:3px;font-size:.85em}
.note{color:#6b7280;font-size:.85em}footer{color:#6b7280;font-size:.8em;margin-top:24px}
""".replace("@PARTISAN@", PARTISAN_COLOR).replace("@NEUTRAL@", NEUTRAL_COLOR)


def _meta_html(meta: dict, lang: str) -> str:
    info = []
    for k, v in meta.items():
        if v in (None, ""):
            continue
        name = msg(f"meta.{k}", lang) if f"meta.{k}" in _META_KEYS else k
        value = fmt_float(v, 3, lang) if isinstance(v, float) else v
        info.append(f"{esc(name)}: <code>{esc(value)}</code>")
    info.append(esc(msg("report.generated", lang, when=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"))))
    return " · ".join(info)


_META_KEYS = {"meta.input", "meta.output", "meta.model", "meta.threshold"}


def _top_html(b: ReportBuilder, lang: str) -> tuple[str, int]:
    top = b.top()
    if not top:
        return f'<p class="note">{esc(msg("top.none", lang))}</p>', 0
    trs = []
    for rank, t in enumerate(top, 1):
        spans = spans_from_records(t["spans"])
        text = ("… " if t["cut_before"] else "") + highlight_html(t["text"], spans) + (" …" if t["cut_after"]
                                                                                        else "")
        cats = ", ".join(category_name(c, lang) for c in sorted({s.category for s in spans})) or "–"
        key = t["key"] if t["key"] is not None else "–"
        trs.append(f'<tr class="top-text"><td class="num">{rank}</td><td>{esc(key)}</td>'
                   f'<td class="num">{fmt_float(t["score"], 3, lang)}</td><td>{esc(cats)}</td>'
                   f'<td class="text">{text}</td></tr>')
    head = (f'<th>#</th><th>{esc(b.key_column or "row")}</th><th>{esc(msg("top.score", lang))}</th>'
            f'<th>{esc(msg("top.categories", lang))}</th><th>{esc(msg("top.text", lang))}</th>')
    return (f'<table class="top"><thead><tr>{head}</tr></thead><tbody>{"".join(trs)}</tbody></table>',
            len(top))


def render_html(b: ReportBuilder, meta: dict, title: str | None = None, lang: str | None = None) -> str:
    """The report page of ``b`` in ``lang`` (``id`` or ``en``; default :func:`~netral_nlp.i18n.get_language`)."""
    lang = get_language(lang)
    title = title or msg("report.title", lang)
    threshold = meta.get("threshold")
    n = lambda v: fmt_int(v, lang)  # noqa: E731
    cards = [("rows", n(b.rows), msg("card.rows", lang)),
             ("partisan", n(b.partisan), msg("card.partisan", lang, pct=fmt_pct(b.partisan, b.scored, lang))),
             ("neutral", n(b.scored - b.partisan),
              msg("card.neutral", lang, pct=fmt_pct(b.scored - b.partisan, b.scored, lang))),
             ("errors", n(b.errors), msg("card.errors", lang, pct=fmt_pct(b.errors, b.rows, lang)))]
    cards_html = "".join(f'<div class="card {c}"><div class="num">{v}</div><div class="lbl">{esc(lbl)}</div></div>'
                         for c, v, lbl in cards)

    errors_html = ""
    if b.error_kinds:
        rows = "".join(f'<tr><td>{esc(k)}</td><td class="num">{n(c)}</td></tr>'
                       for k, c in sorted(b.error_kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        errors_html = (f'<section id="errors"><h2>{esc(msg("errors.title", lang))}</h2><table class="errors">'
                       f'<thead><tr><th>{esc(msg("errors.kind", lang))}</th><th>{esc(msg("errors.rows", lang))}'
                       f'</th></tr></thead><tbody>{rows}</tbody></table>'
                       f'<p class="note">{msg("errors.note", lang)}</p></section>')
    top_html, n_top = _top_html(b, lang)
    legend = "".join(f'<span style="background:{color(c)}" data-category="{esc(c)}" '
                     f'title="{esc(category_description(c, lang))}">{esc(category_name(c, lang))}</span>'
                     for c in CATEGORIES)
    share_note = msg("share.note", lang, partisan=n(b.partisan), scored=n(b.scored),
                     pct=fmt_pct(b.partisan, b.scored, lang), errors=n(b.errors), rows=n(b.rows))

    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{CSS}</style></head>
<body><main>
<h1>{esc(title)}</h1>
<p class="meta">{_meta_html(meta, lang)}</p>
<div class="cards">{cards_html}</div>
<section id="share"><h2>{esc(msg("share.title", lang))}</h2>{_share_svg(b, lang)}
<p class="note">{esc(share_note)}</p></section>
<section id="categories"><h2>{esc(msg("cat.title", lang))}</h2>{_category_svg(b, lang)}
<p class="note">{esc(msg("cat.note", lang))}</p></section>
<section id="histogram"><h2>{esc(msg("hist.title", lang))}</h2>{_histogram_svg(b, threshold, lang)}</section>
{errors_html}
<section id="top"><h2>{esc(msg("top.title", lang, n=n_top))}</h2><div class="legend">{legend}</div>{top_html}</section>
<footer>netral-nlp {esc(__version__)}. {esc(msg("report.footer", lang))}</footer>
</main></body></html>
"""
