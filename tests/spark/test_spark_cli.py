"""``newsfuse spark`` and ``ingest --from-parquet`` refuse what they cannot do with one
clear message, without starting Spark."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from newsfuse.cli import main
from newsfuse.spark import requirements_missing


def test_missing_java_is_one_clear_message(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["spark", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs a Java runtime" in err[0]
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    assert "holds no bin/java" in (requirements_missing() or "")


def test_missing_pyspark_is_one_clear_message(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyspark" else real(name, *a))
    assert main(["spark", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["newsfuse: newsfuse spark needs pyspark: install the extra with "
                   "pip install 'newsfuse[spark]'"]


def test_from_parquet_needs_a_spark_result(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    assert main(["ingest", "--db", str(tmp_path / "a.db"), "--from-parquet",
                 str(tmp_path)]) == 2
    assert "not a newsfuse spark result" in capsys.readouterr().err
    assert main(["ingest", "--db", str(tmp_path / "a.db")]) == 2
    assert "--from-parquet" in capsys.readouterr().err
