"""Training, one step per module: ``config`` (the recipe: :class:`~.config.TrainConfig`, which holds
the model's :class:`~netral_nlp.settings.NetralSettings`) -> ``tokenizers`` (a scratch encoder and
its vocabulary, when no pretrained one is used) -> ``pretraining`` (optional masked-LM
adaptation) -> ``augment`` and ``features`` (examples to token windows with labels and BIO tags)
-> ``trainer`` (:func:`~.trainer.train`: fine-tune, pick the threshold, save) -> ``card``."""
