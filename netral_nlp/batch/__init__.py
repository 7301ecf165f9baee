"""Batch scoring: ``options`` (one validated :class:`~.options.ScoreOptions` holding the
:class:`~.options.ModelSpec`) -> ``rows`` (:func:`~.rows.score_chunk`, :func:`~.rows.score_frame`)
-> ``io`` (one Reader/Writer module per file format) -> ``resume`` (state of an interrupted run)
-> ``run`` (:func:`~.run.score_file`, what ``netral score`` runs); ``spark``
(:func:`~.spark.score_spark`) scales the same chunk scoring out."""
