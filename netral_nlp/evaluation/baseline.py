"""Classical baseline: TF-IDF word + character n-grams with logistic regression (scikit-learn).

Label: P(partisan) from the logistic regression. Spans from per-token weights: each word gets
the summed ``coef * tfidf`` of the word uni/bi-gram features that contain it (a bigram's weight
is split between its two words); runs of words above ``span_threshold`` (chosen on dev for
character F1) become spans, and a span's category is the one its words most often carried in
the training spans. It shows what the transformer buys; it is not used by the library's
classifier.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ..data import Example
from ..inference.decode import snap
from ..labels import CATEGORIES, NEUTRAL, PARTISAN
from ..predictions import Prediction, PredictionList, Span
from .metrics import best_threshold, char_f1

_TOKEN = re.compile(r"(?u)[#@]?\w+")


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text.lower()))


class TfidfBaseline:
    def __init__(self, C: float = 4.0, seed: int = 0):
        self.words = TfidfVectorizer(token_pattern=_TOKEN.pattern, ngram_range=(1, 2), min_df=2,
                                     sublinear_tf=True, lowercase=True)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                     max_features=200_000)
        self.clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", random_state=seed)
        self.threshold = 0.5
        self.span_threshold = 0.1
        self.word_category: dict[str, str] = {}
        self.default_category = CATEGORIES[0]

    def _X(self, texts):
        return hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()

    def fit(self, train: list[Example], dev: list[Example] | None = None) -> TfidfBaseline:
        texts = [e.text for e in train]
        y = np.array([int(e.label == PARTISAN) for e in train])
        self.words.fit(texts)
        self.chars.fit(texts)
        self.clf.fit(self._X(texts), y)
        counts: dict[str, Counter] = defaultdict(Counter)
        all_cats: Counter = Counter()
        for e in train:
            for s in e.spans or []:
                all_cats[s.category] += 1
                for m in _tokens(e.text[s.start:s.end]):
                    counts[m.group()][s.category] += 1
        self.word_category = {w: c.most_common(1)[0][0] for w, c in counts.items()}
        if all_cats:
            self.default_category = all_cats.most_common(1)[0][0]
        n_word = len(self.words.vocabulary_)
        self._coef = self.clf.coef_[0][:n_word]
        if dev:
            scores = self.predict_proba([e.text for e in dev])
            self.threshold = best_threshold([int(e.label == PARTISAN) for e in dev], scores)
            gold_p = [e for e in dev if e.label == PARTISAN and e.spans]
            best = (-1.0, self.span_threshold)
            for t in (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6):
                f = np.mean([char_f1([(s.start, s.end) for s in self._spans(e.text, t)],
                                     [(s.start, s.end) for s in e.spans]) for e in gold_p])
                best = max(best, (float(f), t))
            self.span_threshold = best[1]
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.clf.predict_proba(self._X(texts))[:, 1]

    def _word_weights(self, text: str) -> tuple[list[re.Match], np.ndarray]:
        toks = _tokens(text)
        vec = self.words.transform([text])
        w = np.zeros(len(toks))
        vocab = self.words.vocabulary_
        idf_row = dict(zip(vec.indices, vec.data))
        for k, m in enumerate(toks):
            f = vocab.get(m.group())
            if f is not None:
                w[k] += self._coef[f] * idf_row.get(f, 0.0)
            if k + 1 < len(toks):
                f2 = vocab.get(m.group() + " " + toks[k + 1].group())
                if f2 is not None:
                    half = self._coef[f2] * idf_row.get(f2, 0.0) / 2
                    w[k] += half
                    w[k + 1] += half
        return toks, w

    def _spans(self, text: str, threshold: float) -> list[Span]:
        toks, w = self._word_weights(text)
        spans, run = [], []
        for k in range(len(toks) + 1):
            if k < len(toks) and w[k] > threshold:
                run.append(k)
                continue
            if run:
                s, e = snap(text, toks[run[0]].start(), toks[run[-1]].end())
                if e > s:
                    cats = Counter(self.word_category.get(toks[j].group(), self.default_category) for j in run)
                    spans.append(Span(s, e, text[s:e], cats.most_common(1)[0][0],
                                      round(float(np.mean(w[run])), 4)))
                run = []
        return spans

    @property
    def categories(self) -> list[str]:
        return list(CATEGORIES)

    def predict(self, texts: list[str], batch_size: int = 0, threshold: float | None = None, **_) -> PredictionList:
        thr = self.threshold if threshold is None else threshold
        scores = self.predict_proba(list(texts))
        out = PredictionList()
        for t, p in zip(texts, scores):
            label = PARTISAN if p >= thr else NEUTRAL
            out.append(Prediction(t, label, float(p), self._spans(t, self.span_threshold) if label == PARTISAN else []))
        return out
