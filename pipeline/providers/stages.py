"""What the CLI and the workers call: one object per job that hands out the AI stages.

    ai = providers_for(config, provider=cli_option_or_job_field,
                       breaker_store=..., answer_cache=...)   # workers: the Redis stores
    rewriter = ai.rewriter()            # a pipeline.rewrite.rewriter.Rewriter for rewrite_resume
    enriched = ai.enrich(analysis)      # parse stage: the model adds to the analysis

With no AI provider configured (the default) both are the deterministic local behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.models import JobAnalysis
from pipeline.providers import build_chain
from pipeline.providers.ai_analysis import Enrichment, enrich_analysis
from pipeline.providers.ai_rewriter import AIRewriter
from pipeline.providers.breaker import BreakerStore
from pipeline.providers.cache import AnswerStore
from pipeline.providers.config import ProviderConfig
from pipeline.providers.fallback import ProviderChain
from pipeline.providers.retry import RetryPolicy
from pipeline.providers.usage import UsageMeter
from pipeline.rewrite.rewriter import LocalRewriter, Rewriter


@dataclass(frozen=True)
class AIStages:
    config: ProviderConfig
    chain: ProviderChain | None  # None: local only

    @property
    def provider(self) -> str:
        """The provider tried first ("local" when no AI provider is in play)."""
        return self.chain.primary if self.chain else "local"

    def rewriter(self) -> Rewriter:
        """A fresh rewriter for one job (it meters that job's tokens and cost)."""
        if self.chain is None:
            return LocalRewriter()
        return AIRewriter(self.chain, meter=UsageMeter(), concurrency=self.config.concurrency)

    def enrich(self, analysis: JobAnalysis) -> tuple[Enrichment, UsageMeter]:
        """The analysis with the model's additions (unchanged when local), and its usage."""
        meter = UsageMeter()
        if self.chain is None:
            return Enrichment(analysis, "local"), meter
        return enrich_analysis(analysis, self.chain, meter), meter


def providers_for(
    config: ProviderConfig,
    *,
    provider: str | None = None,
    breaker_store: BreakerStore | None = None,
    answer_cache: AnswerStore | None = None,
    retry: RetryPolicy | None = None,
) -> AIStages:
    """The single entry point for the CLI and the workers, with the configuration they built
    at their edge. `provider` is the job's choice (None: the configured default). Stores
    default to in-process memory (one CLI run); the workers pass the Redis ones from
    workers.breaker_store and workers.llm_cache. Raises InvalidInput (field "provider") for an
    unknown or unconfigured provider."""
    if config.order(provider) == ["local"]:
        return AIStages(config, None)
    chain = build_chain(config, requested=provider, breaker_store=breaker_store,
                        answer_cache=answer_cache, retry=retry)
    return AIStages(config, chain)

