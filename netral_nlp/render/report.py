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
from ..labels import CATEGORIES, CATEGORY_DESCRIPTIONS, PARTISAN
from ..types import span_record, spans_from_records
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
    def html(self, meta: dict | None = None, title: str = "netral-nlp scoring report") -> str:
        return render_html(self, meta or {}, title)

    def write(self, path: str | os.PathLike, meta: dict | None = None, **kw) -> Path:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.html(meta, **kw), encoding="utf-8")
        os.replace(tmp, path)
        return path


def report_html(scored, texts: Sequence, meta: dict | None = None, top_n: int = 20) -> str:
    """The report of an already scored frame (e.g. from :func:`netral_nlp.score_frame`)."""
    b = ReportBuilder(top_n=top_n)
    b.add(scored, list(texts))
    return b.html(meta)


# -------------------------------------------------------------------------------------- charts
def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


def _share_svg(b: ReportBuilder) -> str:
    w, h = 900, 34
    parts = [("partisan", b.partisan, PARTISAN_COLOR), ("neutral", b.scored - b.partisan, NEUTRAL_COLOR),
             ("error", b.errors, ERROR_COLOR)]
    total = max(b.rows, 1)
    x, rects = 0.0, []
    for name, n, col in parts:
        if n <= 0:
            continue
        width = w * n / total
        rects.append(f'<rect class="share-{name}" x="{x:.2f}" y="0" width="{width:.2f}" height="{h}" '
                     f'fill="{col}"><title>{name}: {n:,} ({_pct(n, b.rows)})</title></rect>')
        label = f"{name} {n:,} ({_pct(n, b.rows)})"
        if width > 7.5 * len(label) + 16:
            rects.append(f'<text x="{x + 8:.2f}" y="{h / 2 + 5:.1f}" fill="white" font-size="13" '
                         f'font-weight="600">{label}</text>')
        x += width
    if not rects:
        rects.append(f'<rect x="0" y="0" width="{w}" height="{h}" fill="#f3f4f6"/>')
    return (f'<svg class="chart share" role="img" aria-label="share of partisan texts" width="100%" '
            f'viewBox="0 0 {w} {h}">{"".join(rects)}</svg>')


def _category_svg(b: ReportBuilder) -> str:
    cats = list(CATEGORIES) + sorted(c for c in b.span_counts if c not in CATEGORIES)
    label_w, bar_w, row_h, w = 170, 560, 28, 900
    top = max([b.span_counts.get(c, 0) for c in cats] + [1])
    rows = []
    for k, c in enumerate(cats):
        n, texts = b.span_counts.get(c, 0), b.text_counts.get(c, 0)
        y = k * row_h
        width = bar_w * n / top
        rows.append(
            f'<g class="cat-bar" data-category="{esc(c)}"><title>{esc(c)}: '
            f'{esc(CATEGORY_DESCRIPTIONS.get(c, c))}</title>'
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" font-size="13">{esc(c)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(width, 1 if n else 0):.2f}" height="{row_h - 8}" '
            f'rx="3" fill="{color(c)}" stroke="#6b7280" stroke-width="0.5"/>'
            f'<text x="{label_w + width + 6:.2f}" y="{y + 18}" font-size="12" fill="#374151">'
            f'{n:,} span{"" if n == 1 else "s"} · {texts:,} text{"" if texts == 1 else "s"}</text></g>')
    h = len(cats) * row_h
    return (f'<svg class="chart categories" role="img" aria-label="span categories" width="100%" '
            f'viewBox="0 0 {w} {h}">{"".join(rows)}</svg>')


def _histogram_svg(b: ReportBuilder, threshold: float | None) -> str:
    w, h, left, bottom, top_pad = 900, 260, 64, 34, 18
    plot_w, plot_h = w - left - 16, h - bottom - top_pad
    peak = max(b.hist + [1])
    bw = plot_w / b.bins
    out = []
    for v in sorted({0, round(peak / 2), peak}):  # y grid at whole numbers of texts
        y = top_pad + plot_h * (1 - v / peak)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#6b7280">'
                   f'{v:,}</text>')
    out.append(f'<text x="14" y="{top_pad + plot_h / 2:.1f}" font-size="12" fill="#374151" text-anchor="middle" '
               f'transform="rotate(-90 14 {top_pad + plot_h / 2:.1f})">texts</text>')
    for i, n in enumerate(b.hist):
        lo = i / b.bins
        bh = plot_h * n / peak
        col = PARTISAN_COLOR if threshold is not None and lo >= threshold else "#60a5fa"
        out.append(f'<rect class="hist-bar" x="{left + i * bw + 1:.2f}" y="{top_pad + plot_h - bh:.2f}" '
                   f'width="{bw - 2:.2f}" height="{bh:.2f}" fill="{col}"><title>{lo:.2f}–{lo + 1 / b.bins:.2f}: '
                   f'{n:,} texts</title></rect>')
    base = top_pad + plot_h
    out.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#374151"/>')
    for k in range(0, 11, 2):
        x = left + plot_w * k / 10
        out.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="11" fill="#374151">'
                   f'{k / 10:.1f}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{h - 2}" text-anchor="middle" font-size="12" '
               f'fill="#374151">P(partisan)</text>')
    if threshold is not None:
        x = left + plot_w * threshold
        out.append(f'<line class="threshold" x1="{x:.1f}" y1="{top_pad - 6}" x2="{x:.1f}" y2="{base}" '
                   f'stroke="#111827" stroke-dasharray="4 3"/><text x="{x + 4:.1f}" y="{top_pad + 4}" '
                   f'font-size="11" fill="#111827">threshold {threshold:.2f}</text>')
    return (f'<svg class="chart histogram" role="img" aria-label="histogram of scores" width="100%" '
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


def render_html(b: ReportBuilder, meta: dict, title: str = "netral-nlp scoring report") -> str:
    threshold = meta.get("threshold")
    info = [f"{esc(k)}: <code>{esc(v if not isinstance(v, float) else f'{v:.3f}')}</code>"
            for k, v in meta.items() if v not in (None, "")]
    info.append(f"generated {esc(_dt.datetime.now().strftime('%Y-%m-%d %H:%M'))}")
    cards = [("rows", f"{b.rows:,}", "rows in the input"),
             ("partisan", f"{b.partisan:,}", f"partisan ({_pct(b.partisan, b.scored)} of scored)"),
             ("neutral", f"{b.scored - b.partisan:,}", f"neutral ({_pct(b.scored - b.partisan, b.scored)} of scored)"),
             ("errors", f"{b.errors:,}", f"rows with errors ({_pct(b.errors, b.rows)})")]
    cards_html = "".join(f'<div class="card {c}"><div class="num">{n}</div><div class="lbl">{esc(lbl)}</div></div>'
                         for c, n, lbl in cards)

    errors_html = ""
    if b.error_kinds:
        rows = "".join(f'<tr><td>{esc(k)}</td><td class="num">{n:,}</td></tr>'
                       for k, n in sorted(b.error_kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        errors_html = (f'<section id="errors"><h2>Rows with errors</h2><table class="errors"><thead><tr>'
                       f'<th>error</th><th>rows</th></tr></thead><tbody>{rows}</tbody></table>'
                       f'<p class="note">Each such row is in the output with its <code>error</code> column set; '
                       f'an empty text is labelled neutral with score 0.</p></section>')

    key_name = b.key_column or "row"
    top = b.top()
    if top:
        trs = []
        for rank, t in enumerate(top, 1):
            spans = spans_from_records(t["spans"])
            text = ("… " if t["cut_before"] else "") + highlight_html(t["text"], spans) + (" …" if t["cut_after"]
                                                                                            else "")
            cats = ", ".join(sorted({s.category for s in spans})) or "–"
            key = t["key"] if t["key"] is not None else "–"
            trs.append(f'<tr class="top-text"><td class="num">{rank}</td><td>{esc(key)}</td>'
                       f'<td class="num">{t["score"]:.3f}</td><td>{esc(cats)}</td><td class="text">{text}</td></tr>')
        top_html = (f'<table class="top"><thead><tr><th>#</th><th>{esc(key_name)}</th><th>score</th>'
                    f'<th>categories</th><th>text</th></tr></thead><tbody>{"".join(trs)}</tbody></table>')
    else:
        top_html = '<p class="note">No text was labelled partisan.</p>'
    legend = "".join(f'<span style="background:{color(c)}" title="{esc(CATEGORY_DESCRIPTIONS.get(c, c))}">'
                     f'{esc(c)}</span>' for c in CATEGORIES)

    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{CSS}</style></head>
<body><main>
<h1>{esc(title)}</h1>
<p class="meta">{" · ".join(info)}</p>
<div class="cards">{cards_html}</div>
<section id="share"><h2>Share of partisan texts</h2>{_share_svg(b)}
<p class="note">{b.partisan:,} of {b.scored:,} scored texts are partisan ({_pct(b.partisan, b.scored)});
{b.errors:,} of {b.rows:,} rows could not be scored normally.</p></section>
<section id="categories"><h2>Span categories</h2>{_category_svg(b)}
<p class="note">Spans highlighted by the model, by category (a text can have several).</p></section>
<section id="histogram"><h2>Distribution of scores</h2>{_histogram_svg(b, threshold)}</section>
{errors_html}
<section id="top"><h2>Most partisan texts (top {len(top)})</h2><div class="legend">{legend}</div>{top_html}</section>
<footer>netral-nlp {esc(__version__)}. Labels and spans are automatic predictions and can be wrong:
review each case before any action is taken.</footer>
</main></body></html>
"""
