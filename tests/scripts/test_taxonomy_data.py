"""`make taxonomy` from a clone without the source data: one clear message naming the folder
and every file it must hold, exit 2, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_taxonomy.py"
EXPECTED = (
    "taxonomy-onet/onet_technologies.jsonl",
    "taxonomy-esco/esco_skill_collections.jsonl",
    "taxonomy-esco/skills_en_label.txt",
)


def _build(data: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--data", str(data), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)


def test_missing_folder_names_it_and_every_expected_file(tmp_path: Path) -> None:
    out = tmp_path / "skills.json"
    result = _build(tmp_path / "shared" / "data", out)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"taxonomy: cannot build from {tmp_path / 'shared' / 'data'}:"
    assert lines[1] == "  the folder does not exist"
    for name in EXPECTED:
        assert any(line.strip().startswith(name) for line in lines), name
    assert "TAXONOMY_DATA=" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_partial_folder_names_missing_files_and_bad_rows(tmp_path: Path) -> None:
    onet = tmp_path / "taxonomy-onet"
    onet.mkdir()
    rows = [{"name": "Python", "hot_technology": True, "in_demand": True,
             "commodity_titles": ["Object or component oriented development software"]},
            {"name": "Kafka", "in_demand": False}]
    (onet / "onet_technologies.jsonl").write_text(
        "\n".join(json.dumps(row) for row in rows) + "\n[1]\n")
    out = tmp_path / "skills.json"
    result = _build(tmp_path, out)
    assert result.returncode == 2
    problems = [line.strip() for line in result.stderr.splitlines()[1:4]]
    assert problems == [
        "taxonomy-onet/onet_technologies.jsonl:2.hot_technology: missing",
        "taxonomy-onet/onet_technologies.jsonl:2.commodity_titles: missing",
        "taxonomy-onet/onet_technologies.jsonl:3: not a JSON object",
    ]
    assert "  taxonomy-esco/esco_skill_collections.jsonl: missing" in result.stderr
    assert "  taxonomy-esco/skills_en_label.txt: missing" in result.stderr
    assert not out.exists()
