"""Scoring a Spark DataFrame with mapInPandas (issue 4). Needs pyspark and Java; local mode."""
from __future__ import annotations

import os
import shutil
import sys

import pandas as pd
import pytest
from synthetic import make_examples

pytestmark = [pytest.mark.spark,
              pytest.mark.filterwarnings("ignore:.*(pandas|copy keyword).*:FutureWarning"),
              pytest.mark.filterwarnings("ignore:.*copy keyword is deprecated.*")]
pytest.importorskip("pyspark")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Java is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[1]").appName("netral-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_score_spark_matches_score_frame(spark, tiny_model_dir, tiny_clf):
    from netral_nlp import score_frame, score_spark

    rows = [{"id": i, "text": e["text"]} for i, e in enumerate(make_examples(30, 8))]
    rows += [{"id": 30, "text": ""}, {"id": 31, "text": None}, {"id": 32, "text": "x" * 300}]
    pdf = pd.DataFrame(rows)
    sdf = spark.createDataFrame(pdf, "id long, text string").coalesce(1)
    out = score_spark(sdf, model=str(tiny_model_dir), max_chars=200, num_threads=1)
    assert out.columns == ["id", "text", "label", "score", "spans", "error"]
    got = out.toPandas().sort_values("id").reset_index(drop=True)
    assert len(got) == len(rows) and got["id"].tolist() == list(range(33))
    want = score_frame(pdf, id_column="id", classifier=tiny_clf, max_chars=200)
    for col in ("label", "spans", "error"):
        assert [None if pd.isna(v) else v for v in got[col]] == want[col].tolist(), col
    assert got["score"].fillna(-1).tolist() == pytest.approx(want["score"].fillna(-1).tolist(), abs=1e-5)


def test_score_spark_rejects_clashing_columns(spark):
    from netral_nlp import score_spark

    sdf = spark.createDataFrame(pd.DataFrame({"text": ["a"], "label": ["x"]}))
    with pytest.raises(ValueError, match="already has column"):
        score_spark(sdf)
    with pytest.raises(ValueError, match="no column 'body'"):
        score_spark(sdf, text_column="body")
