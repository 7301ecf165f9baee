"""HTML rendering of predictions (``_repr_html_``), checked by parsing the markup."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from netral_nlp import CATEGORIES, Prediction, PredictionList, Span
from netral_nlp.render.display import predictions_table_html
from netral_nlp.render.html import highlight_html

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


class Tree(HTMLParser):
    """Records elements (tag, attrs, text inside) and checks that tags are balanced."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.elements: list[dict] = []
        self.text: list[str] = []  # all text, with <br> as "\n"

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(el)
        if tag == "br":
            self._data("\n")
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        assert self.stack, f"</{tag}> without an open tag"
        top = self.stack.pop()
        assert top["tag"] == tag, f"</{tag}> closes <{top['tag']}>"

    def handle_data(self, data):
        self._data(data)

    def _data(self, data):
        self.text.append(data)
        for el in self.stack:
            el["text"] += data

    def find(self, tag=None, cls=None) -> list[dict]:
        return [e for e in self.elements if (tag is None or e["tag"] == tag)
                and (cls is None or cls in e["attrs"].get("class", "").split())]


def parse(markup: str) -> Tree:
    t = Tree()
    t.feed(markup)
    t.close()
    assert not t.stack, f"unclosed tags: {[e['tag'] for e in t.stack]}"
    return t


def pred(text: str, label: str = "partisan", score: float = 0.9, spans=()) -> Prediction:
    out = []
    for frag, cat, *rest in spans:
        i = text.index(frag)
        out.append(Span(i, i + len(frag), frag, cat, rest[0] if rest else 0.8))
    return Prediction(text=text, label=label, score=score, spans=out)


TEXT = "Ayo coblos nomor 02! HERO pasti menang. Salam dua jari #HEROmenang"


def test_marks_carry_category_and_exact_text():
    p = pred(TEXT, spans=[("coblos nomor 02", "vote_call"), ("#HEROmenang", "campaign_symbol")])
    t = parse(p._repr_html_())
    marks = t.find("mark", "netral-span")
    assert [(m["attrs"]["data-category"], m["text"]) for m in marks] == [
        ("vote_call", "coblos nomor 02"), ("campaign_symbol", "#HEROmenang")]
    assert "".join(t.find(cls="netral-text")[0]["text"]) == TEXT
    assert all("background:" in m["attrs"]["style"] for m in marks)


def test_score_label_and_legend():
    p = pred(TEXT, score=0.8766, spans=[("coblos nomor 02", "vote_call"), ("Salam dua jari", "campaign_symbol")])
    t = parse(p._repr_html_())
    (root,) = t.find("div", "netral-prediction")
    assert root["attrs"]["data-label"] == "partisan"
    assert t.find(cls="netral-label")[0]["text"] == "partisan"
    assert "0.877" in t.find(cls="netral-score")[0]["text"]
    legend = [e["attrs"]["data-category"] for e in t.find(cls="netral-legend-item")]
    assert legend == ["vote_call", "campaign_symbol"]  # the categories used, in the fixed order
    assert all(e["attrs"]["title"] for e in t.find(cls="netral-legend-item"))


def test_neutral_without_spans_has_no_marks_or_legend():
    t = parse(pred("Jangan golput ya, datang ke TPS.", label="neutral", score=0.02)._repr_html_())
    assert t.find("mark") == [] and t.find(cls="netral-legend") == []
    assert t.find(cls="netral-label")[0]["text"] == "neutral"


def test_script_in_user_text_is_escaped():
    text = "<script>alert('x')</script> dukung <b>HERO</b> & \"paslon\" 02"
    p = pred(text, spans=[("<b>HERO</b>", "endorsement")])
    markup = p._repr_html_()
    assert "<script" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup
    t = parse(markup)
    assert not t.find("script") and not t.find("b")
    assert "".join(t.find(cls="netral-text")[0]["text"]) == text
    assert t.find("mark")[0]["text"] == "<b>HERO</b>"


def test_attribute_values_are_escaped():
    evil = 'x" onmouseover="alert(1)'
    p = Prediction(text="abc def", label='partisan"><img src=x>', score=0.7,
                   spans=[Span(0, 3, "abc", evil, 0.5)])
    markup = p._repr_html_()
    t = parse(markup)
    assert not t.find("img")
    assert all("onmouseover" not in e["attrs"] for e in t.elements)
    (mark,) = t.find("mark")
    assert mark["attrs"]["data-category"] == evil  # round-trips as a value, not as markup
    assert t.find(cls="netral-prediction")[0]["attrs"]["data-label"] == 'partisan"><img src=x>'


def test_newlines_preserved():
    text = "Baris satu\nBaris dua: coblos\nnomor 02\r\nselesai"
    p = pred(text, spans=[("coblos\nnomor 02", "vote_call")])
    t = parse(p._repr_html_())
    assert len(t.find("br")) == 3
    (mark,) = t.find("mark")
    assert mark["text"] == "coblos\nnomor 02"
    assert "".join(t.find(cls="netral-text")[0]["text"]) == text.replace("\r\n", "\n")


def test_overlapping_and_unordered_spans_keep_all_text():
    text = "saya dukung pak hendra jadi bupati karangsari"
    a = text.index("dukung pak hendra")
    b = text.index("pak hendra jadi bupati")
    spans = [Span(b, b + 22, text[b:b + 22], "endorsement", 0.6),   # out of order
             Span(a, a + 17, text[a:a + 17], "vote_call", 0.9),
             Span(b, b + 10, text[b:b + 10], "attack", 0.3)]        # nested
    t = parse(highlight_html(text, spans))
    assert "".join(t.text) == text  # nothing dropped or duplicated
    marks = t.find("mark")
    covered = "".join(m["text"] for m in marks)
    assert covered == text[a:b + 22]
    # the shared piece takes the higher-scoring span and lists every category
    shared = next(m for m in marks if m["text"] == "pak hendra")
    assert shared["attrs"]["data-category"] == "vote_call"
    assert set(shared["attrs"]["data-categories"].split()) == {"vote_call", "endorsement", "attack"}
    assert {m["attrs"]["data-category"] for m in marks} == {"vote_call", "endorsement"}


def test_spans_outside_text_or_empty_are_tolerated():
    text = "coblos 02"
    spans = [Span(-5, 6, "coblos", "vote_call", 0.9), Span(7, 50, "02", "campaign_symbol", 0.5),
             Span(4, 4, "", "attack", 0.5), Span(20, 30, "", "attack", 0.5)]
    t = parse(highlight_html(text, spans))
    assert "".join(t.text) == text
    assert [m["text"] for m in t.find("mark")] == ["coblos", "02"]


def test_odd_scores_do_not_crash():
    p = Prediction(text="abc", label="neutral", score=float("nan"), spans=[Span(0, 1, "a", "attack", None)])
    t = parse(p._repr_html_())
    assert "?" in t.find(cls="netral-score")[0]["text"]


def test_prediction_list_table():
    preds = PredictionList([
        pred(TEXT, spans=[("coblos nomor 02", "vote_call")]),
        pred("Bawaslu mengingatkan ASN wajib netral.", label="neutral", score=0.05),
        pred("<script>x</script> hadir di deklarasi YUBA", spans=[("hadir di deklarasi YUBA", "campaign_activity")]),
    ])
    markup = preds._repr_html_()
    assert "<script>" not in markup
    t = parse(markup)
    (table,) = t.find("table", "netral-predictions")
    rows = t.find("tr", "netral-row")
    assert len(rows) == 3
    assert [r["attrs"]["data-label"] for r in rows] == ["partisan", "neutral", "partisan"]
    assert len(t.find("th")) == 5
    assert [m["attrs"]["data-category"] for m in t.find("mark")] == ["vote_call", "campaign_activity"]
    assert [e["attrs"]["data-category"] for e in t.find(cls="netral-legend-item")] == list(CATEGORIES)
    assert "3 texts: 2 partisan, 1 neutral" in t.find(cls="netral-summary")[0]["text"]
    assert "campaign_activity" in rows[2]["text"]


def test_table_max_rows_and_long_texts():
    long_text = "kegiatan rutin kantor " * 60 + "ayo pilih HERO"
    preds = [pred(long_text, spans=[("ayo pilih HERO", "vote_call")])] + [
        pred(f"teks netral {i}", label="neutral", score=0.1) for i in range(9)]
    t = parse(predictions_table_html(preds, max_rows=4, max_chars=200))
    assert len(t.find("tr", "netral-row")) == 4
    assert "6 more rows" in t.find(cls="netral-more")[0]["text"]
    # the cut keeps the evidence visible
    (mark,) = t.find("mark")
    assert mark["text"] == "ayo pilih HERO"
    first_row_text = t.find("tr", "netral-row")[0]["text"]
    assert "…" in first_row_text and len(first_row_text) < 400


def test_empty_list_renders():
    t = parse(PredictionList()._repr_html_())
    assert t.find("tr", "netral-row") == []
    assert "0 texts" in t.find(cls="netral-summary")[0]["text"]


@pytest.mark.slow
def test_real_predictions_render(tiny_clf):
    preds = tiny_clf.predict(["Ayo coblos nomor dua! Jalan menuju pasar sudah diperbaiki.",
                              "Puskesmas membuka layanan imunisasi gratis."])
    assert isinstance(preds, PredictionList)
    t = parse(preds._repr_html_())
    assert len(t.find("tr", "netral-row")) == 2
    for p in preds:
        t = parse(p._repr_html_())
        assert "".join(t.find(cls="netral-text")[0]["text"]) == p.text
        assert len(t.find("mark")) >= (1 if p.spans else 0)
