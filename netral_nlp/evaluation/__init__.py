"""Evaluation: ``metrics`` (label and span metrics), ``evaluate`` (a classifier on labelled
examples), ``baseline`` (the TF-IDF + logistic regression comparator of the benchmarks)."""
