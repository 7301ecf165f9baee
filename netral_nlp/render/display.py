"""Notebook display of predictions (``Prediction._repr_html_``, ``PredictionList._repr_html_``):
one prediction as a card, a list as a compact table. Escaping, palette, highlighting and
excerpts come from :mod:`.html`.

Visible text follows :func:`netral_nlp.i18n.get_language` (Indonesian unless
``netral_nlp.set_language("en")`` or ``NETRAL_LANG=en``); ``data-*`` attributes keep the
English keys."""
from __future__ import annotations

import math
from collections.abc import Sequence

from ..i18n import category_description, category_name, get_language, label_name, msg, plural
from ..labels import CATEGORIES
from .html import NEUTRAL_COLOR, PARTISAN_COLOR, color, esc, excerpt, fmt_score, highlight_html

_FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


def _badge(label: str, score) -> str:
    bg = PARTISAN_COLOR if label == "partisan" else NEUTRAL_COLOR
    return (f'<span class="netral-label" data-label="{esc(label)}" style="background:{bg};color:#fff;'
            f'padding:1px 7px;border-radius:4px;font-weight:600;font-size:0.9em">{esc(label_name(label))}</span>')


def _score_html(score) -> str:
    try:
        frac = min(1.0, max(0.0, float(score)))
    except (TypeError, ValueError):
        frac = 0.0
    if math.isnan(frac):
        frac = 0.0
    bar = (f'<span style="display:inline-block;width:60px;height:7px;background:#e5e7eb;border-radius:4px;'
           f'vertical-align:middle;overflow:hidden"><span style="display:block;height:100%;'
           f'width:{frac * 100:.0f}%;background:{PARTISAN_COLOR}"></span></span>')
    return (f'<span class="netral-score" title="{esc(msg("display.score_title"))}" '
            f'style="font-variant-numeric:tabular-nums;white-space:nowrap">P(partisan) '
            f"{fmt_score(score, 3)} {bar}</span>")


def legend_html(categories: Sequence[str] = CATEGORIES) -> str:
    """One coloured chip per category, with its meaning as a tooltip."""
    items = "".join(
        f'<span class="netral-legend-item" data-category="{esc(c)}" '
        f'title="{esc(category_description(c))}" style="background:{color(c)};color:#111;'
        f'padding:0 5px;margin:0 4px 2px 0;border-radius:3px;display:inline-block">{esc(category_name(c))}</span>'
        for c in categories
    )
    return (f'<div class="netral-legend" style="font-size:0.8em;margin-top:6px;color:inherit">'
            f'<span style="opacity:0.7;margin-right:6px">{esc(msg("display.categories"))}</span>{items}</div>')


def _used_categories(spans) -> list[str]:
    """Categories present in ``spans``: the known ones in their fixed order, then any others."""
    present = {str(s.category) for s in spans}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def prediction_html(p) -> str:
    """One prediction: label badge, P(partisan), the text with its spans highlighted, a legend."""
    used = _used_categories(p.spans)
    n = len(p.spans)
    span_note = msg("display.spans", n=n, s=plural(n)) if n else msg("display.no_spans")
    return (
        f'<div class="netral-prediction" lang="{get_language()}" data-label="{esc(p.label)}" '
        f'style="{_FONT};line-height:1.55;'
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


def predictions_table_html(preds, max_rows: int = 200, max_chars: int | None = 400) -> str:
    """A compact table: one row per prediction (index, label, score, highlighted text, categories).

    At most ``max_rows`` rows are shown; texts longer than ``max_chars`` are cut (``None``: never).
    """
    preds = list(preds)
    n_partisan = sum(1 for p in preds if p.label == "partisan")
    cell = "padding:4px 8px;border-bottom:1px solid rgba(127,127,127,0.25);vertical-align:top"
    rows = []
    for i, p in enumerate(preds[:max_rows]):
        ex = excerpt(p.text, p.spans, max_chars)
        text, spans = ex.text, ex.spans
        before = '<span style="opacity:0.6">… </span>' if ex.cut_before else ""
        after = '<span style="opacity:0.6"> …</span>' if ex.cut_after else ""
        cats = ", ".join(category_name(c) for c in _used_categories(p.spans))
        rows.append(
            f'<tr class="netral-row" data-label="{esc(p.label)}">'
            f'<td style="{cell};text-align:right;opacity:0.7">{i}</td>'
            f'<td style="{cell};white-space:nowrap;text-align:left">{_badge(p.label, p.score)}</td>'
            f'<td style="{cell};white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums">'
            f"{fmt_score(p.score, 3)}</td>"
            f'<td style="{cell};text-align:left;overflow-wrap:anywhere">{before}{highlight_html(text, spans)}{after}</td>'
            f'<td style="{cell};text-align:left;font-size:0.85em">{esc(cats)}</td></tr>'
        )
    head = "".join(
        f'<th style="{cell};text-align:{align}">{name}</th>'
        for name, align in (("#", "right"), (msg("display.label"), "left"), ("P(partisan)", "right"),
                            (msg("display.text"), "left"), (msg("display.categories").rstrip(":"), "left"))
    )
    hidden = len(preds) - max_rows
    more = (f'<div class="netral-more" style="opacity:0.7;font-size:0.85em">'
            f'{esc(msg("display.more", n=hidden, s=plural(hidden)))}</div>') if hidden > 0 else ""
    summary = (f'<div class="netral-summary" style="margin-bottom:4px;font-size:0.9em">'
               f'{esc(msg("display.summary", n=len(preds), s=plural(len(preds)), partisan=n_partisan, neutral=len(preds) - n_partisan))}</div>')
    return (
        f'<div class="netral-predictions-wrap" lang="{get_language()}" style="{_FONT};line-height:1.45">{summary}'
        '<table class="netral-predictions" style="border-collapse:collapse;table-layout:auto;margin:0;width:auto;font-size:0.9em">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{more}{legend_html()}</div>"
    )
