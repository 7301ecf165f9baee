"""The review round trip: scored rows out to an annotation tool, reviewed examples back as training data.

:mod:`.select` picks the rows to review from a scored file (partisan first, most confident
first; optionally a sample of neutral rows) and joins them with their texts; :mod:`.labelstudio`
writes Label Studio tasks (the model's label and spans as pre-annotations) and its labelling
config, and reads a Label Studio JSON export back into the training JSONL format of
:mod:`netral_nlp.data`. :mod:`.checks` holds what the importer needs: offsets checked against the text, problems reported, never dropped.
"""
