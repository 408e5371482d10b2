"""`python -m search_index`: import with a corrupt line, query (human and JSON), eval's report format."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from search_index.__main__ import main
from search_index.catalogue import Procedure
from search_index.settings import REPO_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture
def cli_env(tmp_path: Path, e5_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "QDRANT_PATH": str(tmp_path / "qdrant"),
        "EMBEDDING_MODEL_DIR": str(e5_model_dir),
        "EMBEDDING_CACHE_PATH": str(tmp_path / "embeddings.sqlite"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("QDRANT_URL", raising=False)
    return env


@pytest.fixture
def catalogue_with_a_corrupt_line(tmp_path: Path, indexed_procedures: list[Procedure]) -> Path:
    lines = [p.model_dump_json() for p in indexed_procedures[:20]]
    lines.insert(1, '{"code": "1.000001", "name": ')  # cut off mid-record
    path = tmp_path / "catalogue.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_then_query_as_a_command(
    cli_env: dict[str, str], catalogue_with_a_corrupt_line: Path, indexed_procedures: list[Procedure]
) -> None:
    env = {**os.environ, **cli_env}
    command = [sys.executable, "-m", "search_index"]
    imported = subprocess.run(
        [*command, "import", str(catalogue_with_a_corrupt_line)],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "thêm 20" in imported.stdout and "bỏ qua 1" in imported.stdout
    assert re.search(r"bỏ qua catalogue\.jsonl dòng 2: .+", imported.stdout), imported.stdout
    assert "20 thủ tục" in imported.stdout

    target = indexed_procedures[4]
    queried = subprocess.run(
        [*command, "query", target.name, "--top-k", "3"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    first = queried.stdout.splitlines()[0]
    assert first.startswith(" 1. " + target.code) and target.name in first


def test_query_json_and_errors(cli_env: dict[str, str], catalogue_with_a_corrupt_line: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["import", str(catalogue_with_a_corrupt_line)]) == 0
    capsys.readouterr()
    assert main(["query", "dang ky khai sinh", "--json", "--top-k", "2", "--level", "xa"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["rank"] for row in rows] == [1, 2]
    assert all("xã" in row["levels"] for row in rows)
    assert {"code", "name", "documents", "channels", "score"} <= set(rows[0])

    assert main(["query", "   "]) == 2
    assert "Vui lòng nhập tên thủ tục" in capsys.readouterr().err
    assert main(["query", "khai sinh", "--level", "huyện"]) == 2
    assert "cấp thực hiện “huyện”" in capsys.readouterr().err
    assert main(["import", str(catalogue_with_a_corrupt_line.with_name("missing.jsonl"))]) == 2


def test_eval_prints_the_metrics_and_one_summary_line(
    cli_env: dict[str, str],
    catalogue_with_a_corrupt_line: Path,
    tmp_path: Path,
    indexed_procedures: list[Procedure],
    monkeypatch: pytest.MonkeyPatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    from search_index import evaluation

    monkeypatch.setattr(evaluation, "EVAL_QDRANT_PATH", tmp_path / "eval-index")
    first, second = indexed_procedures[0], indexed_procedures[5]
    tsv = tmp_path / "dev.tsv"
    tsv.write_text(
        f"accept\tquery\n{first.code}\t{first.name}\n{second.code},9.999999\t{second.name.lower()}\n"
        "9.999999\tkhông có thủ tục này\n",
        encoding="utf-8",
    )
    assert main(["eval", str(tsv), "--catalogue", str(catalogue_with_a_corrupt_line)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("có dấu") for line in out) and any(
        line.startswith("không dấu") for line in out
    )
    assert any("'không có thủ tục này'" in line for line in out)  # the miss is listed
    assert any(line.startswith("đúng họ ở hạng 1") for line in out)  # the right family first
    # The same three questions asked again without diacritics, as a row of their own.
    assert any(line.startswith("có dấu, gõ lại không dấu") and line.endswith(" 3") for line in out)
    assert out[-1] == "search_eval r1=0.667 r5=0.667 mrr=0.667 n=3"
