"""Inference, one stage per module: ``hub`` (find and read a model directory) -> ``windows``
(tokenize into overlapping windows, collate) -> ``backends`` (the forward pass: PyTorch or ONNX
Runtime) -> ``aggregate`` (windows back to documents) -> ``decode`` (token probabilities to spans)
-> ``classifier`` (:class:`~netral_nlp.inference.classifier.NeutralityClassifier`, which runs them)."""
