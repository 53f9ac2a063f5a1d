"""The model adds to the deterministic analysis and never replaces it; its skills are
normalised to the taxonomy; the CLI/worker entry point builds the right stages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.errors import InvalidInput
from pipeline.models import JobAnalysis, Tone
from pipeline.parse import parse_posting
from pipeline.providers.ai_analysis import (
    IMPLIED_IMPORTANCE,
    AnalysisAnswer,
    enrich_analysis,
    merge_answer,
)
from pipeline.providers.ai_rewriter import AIRewriter
from pipeline.providers.config import ProviderConfig
from pipeline.providers.fallback import ProviderChain
from pipeline.providers.runner import ProviderRunner
from pipeline.providers.stages import providers_for
from pipeline.providers.usage import UsageMeter
from pipeline.rewrite.rewriter import LocalRewriter
from pipeline.taxonomy.matcher import get_matcher
from tests.fakes.llm_server import FakeLLMServer, RecordedRequest, Reply

POSTING = """Backend Developer (Django)

We are a small, friendly team. You will build REST APIs with Django and PostgreSQL.
Requirements:
- 3+ years with Django
- Docker
"""


@pytest.fixture(scope="module")
def analysis() -> JobAnalysis:
    return parse_posting(POSTING)


def answer(**fields: object) -> AnalysisAnswer:
    return AnalysisAnswer.model_validate({"tone": "neutral", **fields})


def test_implied_skills_are_normalised_and_added_as_preferred(analysis: JobAnalysis) -> None:
    merged = merge_answer(analysis, answer(implied_skills=[
        {"name": "python 3", "reason": "Django is a Python framework"},
        {"name": "Quantum Basketweaving", "reason": "made up"},
        {"name": "django", "reason": "already found"},
    ]), "openai", get_matcher())
    added = [s for s in merged.hard_skills if s.name not in {x.name for x in analysis.skills()}]
    assert [(s.name, s.required, s.importance, s.mentions) for s in added] == [
        ("Python", False, IMPLIED_IMPORTANCE, [])]
    assert [s.name for s in merged.hard_skills].count("Django") == 1
    assert merged.provider_notes == ["openai: implies Python (Django is a Python framework)"]


def test_the_deterministic_analysis_is_never_replaced(analysis: JobAnalysis) -> None:
    merged = merge_answer(analysis, answer(tone="formal", values=[], implied_skills=[],
                                           importance=[]), "anthropic", get_matcher())
    assert merged.skills() == analysis.skills()  # an empty answer removes nothing
    assert (merged.title, merged.min_years, merged.text) == (
        analysis.title, analysis.min_years, analysis.text)
    assert merged.culture.tone == Tone.formal  # filled where the rules saw no tone
    casual = analysis.model_copy(update={"culture": analysis.culture.model_copy(
        update={"tone": Tone.casual})})
    assert merge_answer(casual, answer(tone="formal"), "x", get_matcher()).culture.tone == (
        Tone.casual)  # but a tone the rules found stands


def test_importance_nudges_are_bounded(analysis: JobAnalysis) -> None:
    docker = next(s for s in analysis.hard_skills if s.name == "Docker")
    merged = merge_answer(analysis, answer(importance=[
        {"name": "docker", "importance": 0.0, "reason": "only mentioned once"},
        {"name": "Kubernetes", "importance": 1.0, "reason": "not in the posting"},
    ]), "openai", get_matcher())
    new_docker = next(s for s in merged.hard_skills if s.name == "Docker")
    assert new_docker.importance == pytest.approx(docker.importance - 0.2)
    assert "Kubernetes" not in {s.name for s in merged.skills()}


def test_enrichment_through_the_real_sdk_records_usage_and_fences_the_posting(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner],
    analysis: JobAnalysis,
) -> None:
    def model(request: RecordedRequest) -> Reply:
        assert "Django" in (request.block("posting") or "")
        return Reply.ok({"tone": "casual", "values": ["Small team", "friendly\nculture"],
                         "implied_skills": [{"name": "Python", "reason": "Django"}],
                         "importance": []})

    llm_server.respond_with(model)
    meter = UsageMeter()
    enriched = enrich_analysis(analysis, ProviderChain([make_runner("anthropic")]), meter)
    assert (enriched.provider, enriched.prompt_version) == ("anthropic", "analyze_posting@v1")
    assert enriched.analysis.culture.tone == Tone.casual
    assert enriched.analysis.culture.values[-2:] == ["small team", "friendly culture"]
    [usage] = meter.usage()
    assert (usage.provider, usage.prompt_version, usage.requests) == (
        "anthropic", "analyze_posting@v1", 1)


def test_enrichment_falls_back_to_the_local_analysis(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner],
    analysis: JobAnalysis,
) -> None:
    llm_server.respond_with(lambda request: Reply.error(401))
    enriched = enrich_analysis(analysis, ProviderChain([make_runner("openai")]), UsageMeter())
    assert enriched.provider == "local" and enriched.analysis == analysis


def test_entry_point_is_local_without_configuration() -> None:
    ai = providers_for(ProviderConfig())
    assert ai.provider == "local"
    assert isinstance(ai.rewriter(), LocalRewriter)
    with pytest.raises(InvalidInput) as info:
        providers_for(ProviderConfig(), provider="openai")
    assert info.value.field == "provider"


def test_entry_point_builds_the_configured_chain(llm_server: FakeLLMServer) -> None:
    config = ProviderConfig(openai_base_url=llm_server.openai_base_url,
                            anthropic_api_key="sk-ant-test", chain=("openai", "anthropic", "local"))
    ai = providers_for(config, provider="openai")
    rewriter = ai.rewriter()
    assert isinstance(rewriter, AIRewriter)
    assert rewriter.chain.names == ["openai", "anthropic", "local"]
    assert ai.rewriter() is not rewriter  # one per job: usage is per job
