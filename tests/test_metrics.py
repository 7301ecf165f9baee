import pytest

from netral_nlp.evaluation.metrics import best_threshold, char_f1, iou_prf, label_metrics, span_metrics


def test_char_f1_semeval_definition():
    assert char_f1([], []) == 1.0
    assert char_f1([(0, 4)], []) == 0.0
    assert char_f1([], [(0, 4)]) == 0.0
    assert char_f1([(0, 4)], [(0, 4)]) == 1.0
    assert char_f1([(0, 4)], [(2, 6)]) == pytest.approx(2 * 2 / 8)


def test_iou_f1_matches_at_half_overlap():
    text = "ayo coblos nomor dua sekarang juga"
    assert iou_prf(text, [(4, 20)], [(4, 20)]) == (1.0, 1.0)
    # predicted words {coblos, nomor} vs gold {coblos, nomor, dua}: IoU 2/3 -> match
    assert iou_prf(text, [(4, 16)], [(4, 20)]) == (1.0, 1.0)
    # predicted {ayo} vs gold {coblos, nomor, dua}: IoU 0
    assert iou_prf(text, [(0, 3)], [(4, 20)]) == (0.0, 0.0)
    assert iou_prf(text, [], []) is None


def test_label_metrics_and_threshold():
    y = [0, 0, 1, 1]
    s = [0.1, 0.6, 0.7, 0.9]
    m = label_metrics(y, s, 0.5)
    assert m["partisan_precision"] == pytest.approx(2 / 3)
    assert m["partisan_recall"] == 1.0
    assert m["roc_auc"] == 1.0
    assert best_threshold(y, s) == pytest.approx(0.65)  # midpoint between 0.6 and 0.7
    assert best_threshold([0, 0, 1, 1], [0.01, 0.02, 0.98, 0.99]) == 0.5  # widest tie -> nearest 0.5
    assert label_metrics([1, 1], [0.2, 0.9], 0.5)["roc_auc"] is None


def test_span_metrics_partisan_only_average():
    m = span_metrics(["a b", "c d"], [[(0, 1)], []], [[(0, 1)], []], [True, False])
    assert m["span_char_f1"] == 1.0 and m["span_char_f1_partisan"] == 1.0
    m = span_metrics(["a b", "c d"], [[], []], [[(0, 1)], []], [True, False])
    assert m["span_char_f1"] == 0.5 and m["span_char_f1_partisan"] == 0.0
