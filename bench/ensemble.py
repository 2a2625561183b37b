"""The n-grams + MiniLM intent classifier of `make bench-nlu` (English only, outside Rasa): a calibrated linear SVM
on word (1-3) and character (1-5) n-grams, and logistic regression on all-MiniLM-L6-v2 sentence vectors (ONNX
Runtime, bench/minilm_onnx.py); the intent is the one with the highest sum of the two probabilities.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import hstack
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from bench.minilm_onnx import OnnxMiniLM

DESCRIPTION = ("word 1-3 + char_wb 1-5 TF-IDF, calibrated LinearSVC (C=1) + all-MiniLM-L6-v2 (ONNX Runtime{int8}) "
               "logistic regression (C=10)")


class Features:
    """Fitted TfidfVectorizers' features of one message, side by side, as (columns, values): what their transform()
    and hstack give, without scikit-learn's checks on every call (about a millisecond a message)."""

    def __init__(self, vectorizers: list[TfidfVectorizer]) -> None:
        assert all(v.sublinear_tf and v.norm == "l2" and v.use_idf for v in vectorizers)
        offsets = np.cumsum([0] + [len(v.vocabulary_) for v in vectorizers])
        self.parts = [(v.build_analyzer(), v.vocabulary_, v.idf_, offset) for v, offset in zip(vectorizers, offsets)]

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        columns, values = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
        for analyze, vocabulary, idf, offset in self.parts:
            counts = Counter(vocabulary[term] for term in analyze(text) if term in vocabulary)
            if counts:
                found = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                weights = (1 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[found]
                columns.append(found + offset)
                values.append(weights / np.linalg.norm(weights))
        return np.concatenate(columns), np.concatenate(values)


class CalibratedSVM:
    """CalibratedClassifierCV(LinearSVC) with sigmoid calibration, its probabilities for one message computed at
    once for every fold and intent (scikit-learn loops over them: 231 calibrators, about 2 ms a message)."""

    def __init__(self, model: CalibratedClassifierCV) -> None:
        folds = model.calibrated_classifiers_
        assert all(list(fold.base_estimator.classes_) == list(model.classes_) for fold in folds)
        # features × (folds · intents): a message's few features are a few contiguous rows
        self.coef = np.ascontiguousarray(np.concatenate([fold.base_estimator.coef_ for fold in folds]).T)
        self.intercept = np.stack([fold.base_estimator.intercept_ for fold in folds])
        self.a = np.array([[c.a_ for c in fold.calibrators] for fold in folds])
        self.b = np.array([[c.b_ for c in fold.calibrators] for fold in folds])

    def probabilities(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        """One message's probability for each intent (scikit-learn's predict_proba, same figures), from its features
        as (columns, values)."""
        scores = (values @ self.coef[columns]).reshape(self.intercept.shape) + self.intercept
        proba = expit(-(self.a * scores + self.b))
        proba /= proba.sum(axis=1, keepdims=True)
        return proba.mean(axis=0)


class Ensemble:
    def __init__(self, encoder: OnnxMiniLM) -> None:
        self.encoder = encoder
        self.vectorizers = [
            TfidfVectorizer(analyzer="word", ngram_range=(1, 3), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)]

    def fit(self, texts: list[str], intents: list[str]) -> Ensemble:
        labels = np.array(intents)
        grams = hstack([v.fit_transform(texts) for v in self.vectorizers]).tocsr()
        svm = CalibratedClassifierCV(LinearSVC(C=1.0), cv=3).fit(grams, labels)
        self.logreg = LogisticRegression(C=10.0, max_iter=3000).fit(self.encoder.encode(texts), labels)
        assert list(svm.classes_) == list(self.logreg.classes_)
        self.svm, self.features = CalibratedSVM(svm), Features(self.vectorizers)
        self.intents = [str(intent) for intent in svm.classes_]
        return self

    def probabilities(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One message's intent probabilities from the n-grams and from MiniLM (in the order of `intents`)."""
        return (self.svm.probabilities(*self.features(text)),
                self.logreg.predict_proba(self.encoder.encode_one(text)[None])[0])

    def intent(self, text: str) -> str:
        ngrams, minilm = self.probabilities(text)
        return self.intents[int(np.argmax(ngrams + minilm))]
