"""The bench ensemble's one-message features and SVM probabilities (bench/ensemble.py) are scikit-learn's."""
from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bench.ensemble import CalibratedSVM, Features

TRAIN = {
    "card_arrival": ["where is my card", "my card has not arrived", "card still not here", "when will my card come",
                     "how long does card delivery take", "card delivery is late"],
    "top_up": ["how do i top up", "top up by bank transfer", "can i add money", "add money with my card",
               "top up failed", "my top up is pending"],
    "pin_blocked": ["my pin is blocked", "i entered the wrong pin", "unblock my pin", "pin locked after three tries",
                    "how to unblock pin", "blocked pin help"],
}
MESSAGES = ["card not arrived yet", "top up pending", "pin blocked", "something else entirely", "money card pin"]


TEXTS = [text for examples in TRAIN.values() for text in examples]
LABELS = np.array([intent for intent, examples in TRAIN.items() for _ in examples])


def vectorizers() -> list[TfidfVectorizer]:
    return [TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True).fit(TEXTS),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True).fit(TEXTS)]


def sklearn_features(fitted: list[TfidfVectorizer], text: str) -> csr_matrix:
    return hstack([v.transform([text]) for v in fitted]).tocsr()


def test_features_equal_the_vectorizers_side_by_side() -> None:
    fitted = vectorizers()
    features = Features(fitted)
    for message in [*MESSAGES, "pin pin pin blocked blocked", "", "ωραία"]:
        expected = sklearn_features(fitted, message).toarray()[0]
        got = np.zeros_like(expected)
        columns, values = features(message)
        got[columns] = values
        np.testing.assert_allclose(got, expected, atol=1e-12)


def test_probabilities_equal_scikit_learns_predict_proba() -> None:
    fitted = vectorizers()
    model = CalibratedClassifierCV(LinearSVC(), cv=3).fit(hstack([v.transform(TEXTS) for v in fitted]).tocsr(), LABELS)
    fast, features = CalibratedSVM(model), Features(fitted)
    for message in MESSAGES:
        np.testing.assert_allclose(fast.probabilities(*features(message)),
                                   model.predict_proba(sklearn_features(fitted, message))[0], atol=1e-12)
    assert model.classes_[np.argmax(fast.probabilities(*features("my pin is blocked")))] == "pin_blocked"
