"""HTML rendering of predictions for Jupyter (``Prediction._repr_html_``)."""
from __future__ import annotations

import html
from collections.abc import Sequence

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


def color(category: str) -> str:
    return COLORS.get(category, _DEFAULT_COLOR)


def highlight_html(text: str, spans) -> str:
    """``text`` with each span wrapped in a coloured ``<mark>``; all user text is escaped."""
    parts, pos = [], 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < pos:
            continue
        parts.append(html.escape(text[pos:s.start]))
        parts.append(
            f'<mark class="netral-span" data-category="{html.escape(s.category)}" '
            f'title="{html.escape(s.category)} ({s.score:.2f})" '
            f'style="background:{color(s.category)};padding:0 2px;border-radius:3px">'
            f"{html.escape(text[s.start:s.end])}</mark>"
        )
        pos = s.end
    parts.append(html.escape(text[pos:]))
    return "".join(parts).replace("\n", "<br>")


def _badge(label: str, score: float) -> str:
    bg = "#dc2626" if label == "partisan" else "#16a34a"
    return (f'<span class="netral-label" style="background:{bg};color:white;padding:1px 6px;'
            f'border-radius:4px;font-weight:600">{html.escape(label)}</span> '
            f'<span class="netral-score">P(partisan) = {score:.3f}</span>')


def legend_html(categories: Sequence[str] = CATEGORIES) -> str:
    items = "".join(
        f'<span title="{html.escape(CATEGORY_DESCRIPTIONS.get(c, c))}" style="background:{color(c)};'
        f'padding:0 4px;margin-right:4px;border-radius:3px">{html.escape(c)}</span>'
        for c in categories
    )
    return f'<div class="netral-legend" style="font-size:0.85em;margin-top:4px">{items}</div>'


def prediction_html(p) -> str:
    used = [c for c in CATEGORIES if any(s.category == c for s in p.spans)]
    return (
        '<div class="netral-prediction" style="font-family:sans-serif;line-height:1.5;margin:4px 0">'
        f"<div>{_badge(p.label, p.score)}</div>"
        f'<div class="netral-text" style="white-space:normal">{highlight_html(p.text, p.spans)}</div>'
        + (legend_html(used) if used else "")
        + "</div>"
    )


def predictions_table_html(preds, max_rows: int = 200) -> str:
    rows = []
    for i, p in enumerate(preds[:max_rows]):
        cats = ", ".join(sorted({s.category for s in p.spans}))
        rows.append(
            f"<tr><td>{i}</td><td>{_badge(p.label, p.score)}</td>"
            f'<td style="text-align:left">{highlight_html(p.text, p.spans)}</td><td>{html.escape(cats)}</td></tr>'
        )
    more = f"<p>... {len(preds) - max_rows} more</p>" if len(preds) > max_rows else ""
    return (
        '<table class="netral-predictions"><thead><tr><th>#</th><th>label</th><th>text</th>'
        "<th>categories</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + more + legend_html()
    )
