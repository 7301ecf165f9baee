"""HTML rendering of predictions for Jupyter (``Prediction._repr_html_``, ``PredictionList._repr_html_``).

Everything taken from the user or the model (text, categories, labels) is HTML-escaped, in
element content and in attribute values alike, so a post containing ``<script>`` shows as text.
Spans may overlap, come in any order, or (when built by hand) reach past the text: the text is
cut at every span boundary and each piece is highlighted with the strongest span covering it, so
no span is lost and the markup stays well formed. Newlines in the text are kept (``<br>``).
Only inline styles are used, so the output looks the same in Jupyter, VS Code and exported HTML.
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .labels import CATEGORIES, CATEGORY_DESCRIPTIONS

COLORS = {
    "endorsement": "#fde68a",
    "vote_call": "#fca5a5",
    "attack": "#f9a8d4",
    "campaign_symbol": "#c4b5fd",
    "campaign_sharing": "#93c5fd",
    "campaign_activity": "#86efac",
    "abuse_of_office": "#fdba74",
}
_DEFAULT_COLOR = "#e5e7eb"
# darker shades, for the underline that marks a second, overlapping category
_DARK = {
    "endorsement": "#ca8a04",
    "vote_call": "#dc2626",
    "attack": "#db2777",
    "campaign_symbol": "#7c3aed",
    "campaign_sharing": "#2563eb",
    "campaign_activity": "#16a34a",
    "abuse_of_office": "#ea580c",
}
_PARTISAN_COLOR = "#b91c1c"
_NEUTRAL_COLOR = "#15803d"
_FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


def _esc(value) -> str:
    """Escape for element content and for double- or single-quoted attribute values."""
    return html.escape(str(value), quote=True)


def color(category: str) -> str:
    """Background colour of a category (a fixed palette; unknown categories are grey)."""
    return COLORS.get(category, _DEFAULT_COLOR)


def _fmt_score(score, digits: int = 2) -> str:
    try:
        x = float(score)
    except (TypeError, ValueError):
        return "?"
    return "?" if math.isnan(x) else f"{x:.{digits}f}"


def _text_html(text: str) -> str:
    """Escaped text with its line breaks kept."""
    return _esc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _segments(text: str, spans) -> list[tuple[int, int, tuple[int, ...]]]:
    """Cut ``text`` at every span boundary: ``(start, end, indices of the spans covering it)``.

    Spans are clipped to the text; empty ones are dropped. Adjacent pieces covered by the same
    spans are merged, so a span that overlaps nothing comes out as one piece.
    """
    n = len(text)
    clipped = []
    for i, s in enumerate(spans):
        a, b = max(0, int(s.start)), min(n, int(s.end))
        if a < b:
            clipped.append((a, b, i))
    cuts = sorted({0, n, *(a for a, _, _ in clipped), *(b for _, b, _ in clipped)})
    out: list[tuple[int, int, tuple[int, ...]]] = []
    for a, b in zip(cuts, cuts[1:]):
        cover = tuple(i for sa, sb, i in clipped if sa <= a and b <= sb)
        if out and out[-1][2] == cover and out[-1][1] == a:
            out[-1] = (out[-1][0], b, cover)
        else:
            out.append((a, b, cover))
    return out


def _span_score(s) -> float:
    try:
        x = float(s.score)
    except (TypeError, ValueError):
        return 0.0
    return -1.0 if math.isnan(x) else x


def highlight_html(text: str, spans) -> str:
    """``text`` with each span wrapped in a coloured ``<mark data-category=...>``; all user text is escaped.

    Where spans overlap, the piece they share gets the colour (and ``data-category``) of the
    higher-scoring span, an underline in the other's colour, and all categories in
    ``data-categories`` and the tooltip.
    """
    spans = list(spans or [])
    parts = []
    segs = _segments(text, spans)
    for k, (a, b, cover) in enumerate(segs):
        piece = _text_html(text[a:b])
        if not cover:
            parts.append(piece)
            continue
        ranked = sorted(cover, key=lambda i: (-_span_score(spans[i]), spans[i].start, i))
        main = spans[ranked[0]]
        cats = list(dict.fromkeys(str(spans[i].category) for i in ranked))
        title = "; ".join(
            f"{spans[i].category} ({_fmt_score(spans[i].score)})" for i in ranked
        )
        # round and pad only the outer ends of a highlighted run, so pieces of one span join up
        left = k == 0 or not segs[k - 1][2]
        right = k == len(segs) - 1 or not segs[k + 1][2]
        style = (f"background:{color(main.category)};color:#111;"
                 f"padding:0 {2 if right else 0}px 0 {2 if left else 0}px;"
                 f"border-radius:{3 if left else 0}px {3 if right else 0}px {3 if right else 0}px "
                 f"{3 if left else 0}px;box-decoration-break:clone;-webkit-box-decoration-break:clone")
        if len(cats) > 1:
            style += f";box-shadow:inset 0 -3px 0 {_DARK.get(cats[1], '#6b7280')}"
        parts.append(
            f'<mark class="netral-span" data-category="{_esc(main.category)}" '
            f'data-categories="{_esc(" ".join(cats))}" data-score="{_fmt_score(main.score, 3)}" '
            f'title="{_esc(title)}" style="{style}">{piece}</mark>'
        )
    return "".join(parts)


def _badge(label: str, score) -> str:
    bg = _PARTISAN_COLOR if label == "partisan" else _NEUTRAL_COLOR
    return (f'<span class="netral-label" data-label="{_esc(label)}" style="background:{bg};color:#fff;'
            f'padding:1px 7px;border-radius:4px;font-weight:600;font-size:0.9em">{_esc(label)}</span>')


def _score_html(score) -> str:
    try:
        frac = min(1.0, max(0.0, float(score)))
    except (TypeError, ValueError):
        frac = 0.0
    if math.isnan(frac):
        frac = 0.0
    bar = (f'<span style="display:inline-block;width:60px;height:7px;background:#e5e7eb;border-radius:4px;'
           f'vertical-align:middle;overflow:hidden"><span style="display:block;height:100%;'
           f'width:{frac * 100:.0f}%;background:{_PARTISAN_COLOR}"></span></span>')
    return (f'<span class="netral-score" title="probability that the text is partisan" '
            f'style="font-variant-numeric:tabular-nums;white-space:nowrap">P(partisan) '
            f"{_fmt_score(score, 3)} {bar}</span>")


def legend_html(categories: Sequence[str] = CATEGORIES) -> str:
    """One coloured chip per category, with its meaning as a tooltip."""
    items = "".join(
        f'<span class="netral-legend-item" data-category="{_esc(c)}" '
        f'title="{_esc(CATEGORY_DESCRIPTIONS.get(c, c))}" style="background:{color(c)};color:#111;'
        f'padding:0 5px;margin:0 4px 2px 0;border-radius:3px;display:inline-block">{_esc(c)}</span>'
        for c in categories
    )
    return (f'<div class="netral-legend" style="font-size:0.8em;margin-top:6px;color:inherit">'
            f'<span style="opacity:0.7;margin-right:6px">categories:</span>{items}</div>')


def _used_categories(spans) -> list[str]:
    """Categories present in ``spans``: the known ones in their fixed order, then any others."""
    present = {str(s.category) for s in spans}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def prediction_html(p) -> str:
    """One prediction: label badge, P(partisan), the text with its spans highlighted, a legend."""
    used = _used_categories(p.spans)
    n = len(p.spans)
    span_note = f"{n} span{'s' if n != 1 else ''}" if n else "no highlighted spans"
    return (
        f'<div class="netral-prediction" data-label="{_esc(p.label)}" style="{_FONT};line-height:1.55;'
        'margin:6px 0;padding:8px 10px;border:1px solid rgba(127,127,127,0.35);border-radius:6px;'
        'max-width:900px">'
        f'<div class="netral-header" style="margin-bottom:6px">{_badge(p.label, p.score)} '
        f"{_score_html(p.score)} "
        f'<span style="opacity:0.7;font-size:0.85em;margin-left:6px">{span_note}</span></div>'
        f'<div class="netral-text" style="white-space:normal;overflow-wrap:anywhere">'
        f"{highlight_html(p.text, p.spans)}</div>"
        + (legend_html(used) if used else "")
        + "</div>"
    )


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    category: str
    score: float


def _clip(p, max_chars: int | None) -> tuple[str, list, str, str]:
    """Text and spans cut to about ``max_chars`` characters for the compact table.

    The window starts at the beginning of the text, or a little before the first span when that
    span would fall outside it, so the evidence stays visible. Returns the text, the spans
    shifted into it, and the ellipses to show before and after.
    """
    text, spans = p.text, list(p.spans)
    if max_chars is None or len(text) <= max_chars:
        return text, spans, "", ""
    first = min((s.start for s in spans if s.end > s.start), default=0)
    lo = 0
    if first + min(40, max_chars // 4) > max_chars:
        lo = max(0, first - max_chars // 4)
        space = text.rfind(" ", max(0, lo - 20), lo + 1)
        lo = space + 1 if space >= 0 else lo
    hi = min(len(text), lo + max_chars)
    kept = [_Piece(max(s.start, lo) - lo, min(s.end, hi) - lo, s.category, s.score)
            for s in spans if s.start < hi and s.end > lo]
    return text[lo:hi], kept, ("… " if lo > 0 else ""), (" …" if hi < len(text) else "")


def predictions_table_html(preds, max_rows: int = 200, max_chars: int | None = 400) -> str:
    """A compact table: one row per prediction (index, label, score, highlighted text, categories).

    At most ``max_rows`` rows are shown; texts longer than ``max_chars`` are cut (``None``: never).
    """
    preds = list(preds)
    n_partisan = sum(1 for p in preds if p.label == "partisan")
    cell = "padding:4px 8px;border-bottom:1px solid rgba(127,127,127,0.25);vertical-align:top"
    rows = []
    for i, p in enumerate(preds[:max_rows]):
        text, spans, before, after = _clip(p, max_chars)
        before = f'<span style="opacity:0.6">{before}</span>' if before else ""
        after = f'<span style="opacity:0.6">{after}</span>' if after else ""
        cats = ", ".join(_used_categories(p.spans))
        rows.append(
            f'<tr class="netral-row" data-label="{_esc(p.label)}">'
            f'<td style="{cell};text-align:right;opacity:0.7">{i}</td>'
            f'<td style="{cell};white-space:nowrap;text-align:left">{_badge(p.label, p.score)}</td>'
            f'<td style="{cell};white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums">'
            f"{_fmt_score(p.score, 3)}</td>"
            f'<td style="{cell};text-align:left;overflow-wrap:anywhere">{before}{highlight_html(text, spans)}{after}</td>'
            f'<td style="{cell};text-align:left;font-size:0.85em">{_esc(cats)}</td></tr>'
        )
    head = "".join(
        f'<th style="{cell};text-align:{align}">{name}</th>'
        for name, align in (("#", "right"), ("label", "left"), ("P(partisan)", "right"), ("text", "left"),
                            ("categories", "left"))
    )
    hidden = len(preds) - max_rows
    more = (f'<div class="netral-more" style="opacity:0.7;font-size:0.85em">… {hidden} more '
            f"row{'s' if hidden != 1 else ''} not shown</div>") if hidden > 0 else ""
    summary = (f'<div class="netral-summary" style="margin-bottom:4px;font-size:0.9em">'
               f"{len(preds)} text{'s' if len(preds) != 1 else ''}: {n_partisan} partisan, "
               f"{len(preds) - n_partisan} neutral</div>")
    return (
        f'<div class="netral-predictions-wrap" style="{_FONT};line-height:1.45">{summary}'
        '<table class="netral-predictions" style="border-collapse:collapse;table-layout:auto;margin:0;width:auto;font-size:0.9em">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{more}{legend_html()}</div>"
    )
