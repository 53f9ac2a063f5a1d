"""`resume-tailor tailor --provider openai|anthropic` end to end: the real SDKs, configured
from the environment the way a user would, against the fake server on loopback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli.commands import app
from tests.fakes.llm_server import FakeLLMServer, RecordedRequest, Reply

ROOT = Path(__file__).resolve().parents[3]
RESUME = str(ROOT / "examples" / "resumes" / "senior-backend.json")
POSTING = str(ROOT / "examples" / "postings" / "backend-engineer.md")
runner = CliRunner()


def inflating_model(request: RecordedRequest) -> Reply:
    """Rewords every bullet but also invents a skill: the guard must take those lines back."""
    if request.block("facts") is not None:
        return Reply.ok({"summary": "Backend engineer who builds payment systems."})
    if request.block("line") is None:  # the posting analysis prompt
        return Reply.ok({"tone": "formal", "values": ["ownership"], "importance": [],
                         "implied_skills": [{"name": "Docker", "reason": "containers"}]})
    line = request.block("line") or ""
    return Reply.ok({"bullet": re.sub(r"\.?$", " using Haskell", line, count=1)})


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_tailor_with_an_ai_provider_from_the_environment(
    provider: str, llm_server: FakeLLMServer, tmp_path: Path
) -> None:
    llm_server.respond_with(inflating_model)
    base_url = (llm_server.openai_base_url if provider == "openai"
                else llm_server.anthropic_base_url)
    env = {f"{provider.upper()}_API_KEY": "test-key", f"{provider.upper()}_BASE_URL": base_url}
    out = tmp_path / "out"

    result = runner.invoke(app, ["tailor", RESUME, POSTING, "-o", str(out),
                                 "--provider", provider], env=env)

    assert result.exit_code == 0, result.output
    assert llm_server.count() > 0  # the provider was really called over HTTP
    report = json.loads((out / "report.json").read_text())
    rejected = [r for r in report["rejections"] if r["provider"] == provider]
    assert rejected and all("Haskell" in r["reason"] for r in rejected)
    assert "Haskell" not in json.dumps(json.loads((out / "tailored.json").read_text()))
    assert any(u["provider"] == provider and u["requests"] > 0 for u in report["usage"])
    notes = report["analysis"]["provider_notes"]
    assert any(provider in note and "Docker" in note for note in notes)  # the model added
    assert f"guard rejections: {len(report['rejections'])}" in result.output
    assert "estimated cost" in result.output


def test_an_unconfigured_provider_is_a_clean_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tailor", RESUME, POSTING, "-o", str(tmp_path / "o"),
                                 "--provider", "openai"],
                           env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert result.exit_code == 2
    assert "provider" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()
