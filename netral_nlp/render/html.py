"""The HTML core shared by the notebook display and the report: escaping, the palette, the
highlighting of spans in a text, and excerpts of long texts around their spans.

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
from dataclasses import dataclass

# background of each span category (unknown categories are grey)
COLORS = {
    "endorsement": "#fde68a",
    "vote_call": "#fca5a5",
    "attack": "#f9a8d4",
    "campaign_symbol": "#c4b5fd",
    "campaign_sharing": "#93c5fd",
    "campaign_activity": "#86efac",
    "abuse_of_office": "#fdba74",
}
DEFAULT_COLOR = "#e5e7eb"
# darker shades, for the underline that marks a second, overlapping category
DARK = {
    "endorsement": "#ca8a04",
    "vote_call": "#dc2626",
    "attack": "#db2777",
    "campaign_symbol": "#7c3aed",
    "campaign_sharing": "#2563eb",
    "campaign_activity": "#16a34a",
    "abuse_of_office": "#ea580c",
}
PARTISAN_COLOR, NEUTRAL_COLOR, ERROR_COLOR = "#dc2626", "#16a34a", "#9ca3af"


def esc(value) -> str:
    """Escape for element content and for double- or single-quoted attribute values."""
    return html.escape(str(value), quote=True)


def color(category: str) -> str:
    """Background colour of a category (a fixed palette; unknown categories are grey)."""
    return COLORS.get(category, DEFAULT_COLOR)


def fmt_score(score, digits: int = 2) -> str:
    try:
        x = float(score)
    except (TypeError, ValueError):
        return "?"
    return "?" if math.isnan(x) else f"{x:.{digits}f}"


def text_html(text: str) -> str:
    """Escaped text with its line breaks kept."""
    return esc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


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
        piece = text_html(text[a:b])
        if not cover:
            parts.append(piece)
            continue
        ranked = sorted(cover, key=lambda i: (-_span_score(spans[i]), spans[i].start, i))
        main = spans[ranked[0]]
        cats = list(dict.fromkeys(str(spans[i].category) for i in ranked))
        title = "; ".join(f"{spans[i].category} ({fmt_score(spans[i].score)})" for i in ranked)
        # round and pad only the outer ends of a highlighted run, so pieces of one span join up
        left = k == 0 or not segs[k - 1][2]
        right = k == len(segs) - 1 or not segs[k + 1][2]
        style = (f"background:{color(main.category)};color:#111;"
                 f"padding:0 {2 if right else 0}px 0 {2 if left else 0}px;"
                 f"border-radius:{3 if left else 0}px {3 if right else 0}px {3 if right else 0}px "
                 f"{3 if left else 0}px;box-decoration-break:clone;-webkit-box-decoration-break:clone")
        if len(cats) > 1:
            style += f";box-shadow:inset 0 -3px 0 {DARK.get(cats[1], '#6b7280')}"
        parts.append(
            f'<mark class="netral-span" data-category="{esc(main.category)}" '
            f'data-categories="{esc(" ".join(cats))}" data-score="{fmt_score(main.score, 3)}" '
            f'title="{esc(title)}" style="{style}">{piece}</mark>'
        )
    return "".join(parts)


@dataclass(frozen=True)
class Excerpt:
    """A part of a text with the spans inside it (offsets into the excerpt)."""

    text: str
    spans: list
    cut_before: bool
    cut_after: bool


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    text: str
    category: str
    score: float


def excerpt(text: str, spans, limit: int | None) -> Excerpt:
    """At most ``limit`` characters of ``text`` (None: all), keeping the evidence visible.

    The excerpt starts at the beginning of the text, or, when the first span would fall outside
    that window, about a quarter of ``limit`` before that span (at a word boundary). Spans that
    reach into the excerpt are kept, cut to it and shifted into its offsets.
    """
    spans = list(spans)
    if limit is None or len(text) <= limit:
        return Excerpt(text, spans, False, False)
    first = min((int(s.start) for s in spans if s.end > s.start), default=0)
    lo = 0
    if first + min(40, limit // 4) > limit:
        lo = max(0, first - limit // 4)
        space = text.rfind(" ", max(0, lo - 20), lo + 1)
        lo = space + 1 if space >= 0 else lo
    hi = min(len(text), lo + limit)
    lo = max(0, min(lo, hi - limit))
    kept = []
    for s in spans:
        a, b = max(int(s.start), lo), min(int(s.end), hi)
        if a < b:
            kept.append(_Piece(a - lo, b - lo, text[a:b], s.category, s.score))
    return Excerpt(text[lo:hi], kept, lo > 0, hi < len(text))
