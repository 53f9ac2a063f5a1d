"""The service's settings: one pydantic-settings class for everything the workers and the API
read from the environment, `RT_*` variables (`RT_API_*` for the API's own) plus the AI SDKs'
`OPENAI_*`/`ANTHROPIC_*` credentials and endpoints.

Defaults fit the development machine (Postgres, Redis on loopback, SeaweedFS on 8333), but
the environment defaults to `production`, where the placeholder secrets printed in this file are
refused at start-up: a deployment that forgets `RT_ENVIRONMENT` fails closed. `make up` and the
tests set `RT_ENVIRONMENT=development` (or `test` with real secrets) themselves.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from pipeline.errors import InvalidInput
from pipeline.providers.config import JsonMode, ProviderConfig, check_provider, parse_chain
from workers.tenants import check_tenant
from workers.webhooks.signing import SECRET_PREFIX, secret_key

STAGES = ("parse", "score", "rewrite", "compile", "upload")
QUEUES = (*STAGES, "webhooks")

# Secrets that ship in this file; they only work in development.
_PLACEHOLDER_MARK = "change-me"
_DEV_WEBHOOK_SECRET = "whsec_Y2hhbmdlLW1lLWRldmVsb3BtZW50LW9ubHktd2ViaG9vaw=="  # change-me
# The pipeline's own provider defaults, so they are written once.
_AI = ProviderConfig()
# Provider settings where an empty variable means "not set", as the SDKs treat theirs.
_AI_FIELDS = (
    "provider", "provider_chain", "openai_api_key", "openai_base_url", "openai_model",
    "openai_json_mode", "anthropic_api_key", "anthropic_base_url", "anthropic_model",
    "llm_timeout_s", "llm_max_attempts", "llm_concurrency", "llm_cache_ttl_s",
    "llm_breaker_threshold", "llm_breaker_cooldown_s",
)


class Settings(BaseSettings):
    # `populate_by_name`: the SDK variables are aliases; code and tests use the field names.
    model_config = SettingsConfigDict(env_prefix="RT_", extra="ignore", populate_by_name=True)

    # Fails closed: only `development` accepts the placeholder secrets below.
    environment: Literal["development", "test", "staging", "production"] = "production"

    # ---------------------------------------------------------------- Postgres
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    database_pool_size: int = Field(default=5, ge=1)
    # A pooled connection idle this long is tested before use (0: every time).
    database_ping_idle_s: float = Field(default=1.0, ge=0)

    # ---------------------------------------------------------------- broker, cache
    broker_url: str = "redis://127.0.0.1:6379/0"  # amqp://guest@127.0.0.1:5672// works too
    result_backend: str | None = "redis://127.0.0.1:6379/0"
    redis_url: str = "redis://127.0.0.1:6379/0"  # posting-analysis cache
    # A Redis broker that accepts a connection and then never answers must not hang a
    # publish (the API's submit publishes from its event loop; redis-py tries three times,
    # so about 3x this in all): seconds, above the workers' 1 s blocking pops.
    broker_socket_timeout_s: float = Field(default=5.0, gt=1)
    # Prepended to every Redis key and queue name, so parallel deployments (and test
    # sessions) on one Redis never see each other's messages.
    key_prefix: str = ""
    analysis_cache_ttl_s: int = Field(default=3600, ge=0)

    # ---------------------------------------------------------------- S3
    s3_endpoint_url: str | None = "http://127.0.0.1:8333"
    s3_bucket: str = "resume-tailor"
    s3_access_key: str = "rt-dev-access-change-me"
    s3_secret_key: str = "rt-dev-secret-change-me"
    s3_region: str = "us-east-1"
    presign_expiry_s: int = Field(default=300, ge=1, le=7 * 24 * 3600)

    # ---------------------------------------------------------------- tasks
    # Soft limit per stage in seconds; the hard limit adds `time_limit_grace_s`.
    soft_time_limits_s: dict[str, float] = Field(
        default_factory=lambda: {
            "parse": 60.0, "score": 60.0, "rewrite": 180.0, "compile": 120.0, "upload": 60.0,
            "webhooks": 30.0, "reaper": 60.0,
            # A rank-first batch's ranking: every item parsed and scored in one task
            # (a few ms each, so 500 items take seconds; the limit leaves room for a busy host).
            "rank": 300.0,
        }
    )
    time_limit_grace_s: float = Field(default=15, gt=0)
    task_max_retries: int = Field(default=5, ge=0)
    retry_backoff_base_s: float = Field(default=2.0, gt=0)
    retry_backoff_max_s: float = Field(default=300.0, gt=0)
    # A stage started more often than this (redeliveries after crashes plus retries) fails the
    # job instead of looping on a poison message.
    max_stage_attempts: int = Field(default=8, ge=1)
    # A pool child is replaced after this many tasks, or after a task that leaves it holding
    # more than this much resident memory: bounds on what a leak can take. Each new child opens
    # its own connections and fills its caches on its first tasks (~0.1 s), so not too often:
    # after 200 tasks the light stages' children held 153-158 MB (147 MB when new), compile's
    # 181 MB after about 50. A solo-pool worker (the light stages) has no child to replace: past
    # the memory bound it shuts down for its supervisor to restart it (workers.solo_limits).
    worker_max_tasks_per_child: int = Field(default=1000, ge=1)
    worker_max_memory_per_child_mb: int = Field(default=512, ge=64)
    visibility_timeout_s: int = Field(default=3600, ge=60)
    compile_timeout_s: float = Field(default=20.0, gt=0)
    tex_bin_dir: str | None = None
    # TeX formats, font cache and template calibrations, shared by every compile process
    # (None: ~/.cache/resume-tailor/latex). Must be writable, or each process recalibrates.
    tex_cache_dir: str | None = None
    # Task events for monitoring. Off by default: Flower switches them on while it runs (it
    # broadcasts `enable_events`), and otherwise they cost every task several Redis publishes.
    task_events: bool = False
    # Beat runs the reaper this often; one run is a query over the active jobs (and, when
    # some look lost, a look into the broker's queues), so it can run often.
    reaper_interval_s: float = Field(default=10, ge=1)
    # A running stage holds a lease on its job, renewed by a thread in the worker every
    # `stage_heartbeat_s`; a lease not renewed for `stage_lease_s` (its worker died with it)
    # lets the reaper send the stage again. Above a few heartbeats, so a busy machine that
    # delays one renewal does not lose a live task its lease.
    stage_heartbeat_s: float = Field(default=5, gt=0)
    stage_lease_s: float = Field(default=30, gt=0)
    # A job waiting this long for its next task (queued, or its last stage finished) whose
    # message the broker no longer holds is sent again (workers/reaper.py).
    reaper_waiting_after_s: float = Field(default=30, ge=1)
    # For brokers the reaper cannot look into (RabbitMQ), and for stages started without a
    # lease: jobs in a stage longer than its hard limit plus the longest retry backoff plus
    # this grace are reaped, and a job `queued` longer than `reaper_queued_after_s` was
    # probably never sent (long, as a legitimate backlog also leaves jobs queued).
    reaper_grace_s: int = Field(default=60, ge=0)
    reaper_queued_after_s: int = Field(default=3600, ge=60)

    # ---------------------------------------------------------------- webhooks
    # Delay before each attempt (first is immediate), after Svix's schedule.
    webhook_retry_schedule_s: list[int] = Field(
        default_factory=lambda: [0, 5, 300, 1800, 7200, 18000, 36000, 36000]
    )
    webhook_timeout_s: float = Field(default=15.0, gt=0)
    allow_private_webhooks: bool = False
    # Ports a callback URL may name (tests with a local receiver add theirs).
    webhook_allowed_ports: list[int] = Field(default_factory=lambda: [80, 443])
    # A callback host that takes longer to resolve is refused (at submit and at send).
    webhook_dns_timeout_s: float = Field(default=2.0, gt=0, le=30)
    # Per-tenant secrets as JSON (`RT_WEBHOOK_SECRETS='{"acme": "whsec_..."}'`); a tenant not
    # listed gets its own secret derived from `webhook_secret_default` (HMAC of its name), so
    # no two tenants share one (`resume-tailor-admin webhook-secret TENANT` prints it).
    webhook_secrets: dict[str, str] = Field(default_factory=dict)
    webhook_secret_default: str = _DEV_WEBHOOK_SECRET

    # ---------------------------------------------------------------- authentication
    # API keys live in Postgres (`resume-tailor-admin keys`); a verified key is trusted for
    # this long per API process, so a revoke takes effect within it.
    api_key_cache_s: float = Field(default=10.0, ge=0, le=300)
    # JWTs (`Authorization: Bearer`): HS256 with `jwt_secret`, or RS256 with a PEM public key
    # file or a JWKS file (keys chosen by `kid`). Off while none of the three is set.
    jwt_secret: str | None = Field(default=None, repr=False)
    jwt_public_key_file: str | None = None
    jwt_jwks_file: str | None = None
    jwt_issuer: str | None = None  # required (`iss`) once JWTs are on
    jwt_audience: str | None = None  # required (`aud`) once JWTs are on
    jwt_leeway_s: float = Field(default=30.0, ge=0, le=300)  # clock skew allowed on exp/nbf
    jwt_tenant_claim: str = "tenant"
    # Space-separated string (`scope`, RFC 8693) or a list (`scopes`).
    jwt_scopes_claim: str = "scope"
    # /metrics and /docs (with /openapi.json) answer only to a key with the `admin` scope
    # (metrics) or any valid key (docs).
    api_metrics_require_key: bool = False
    api_docs_require_key: bool = False

    # ---------------------------------------------------------------- rate limits
    # Requests per window from one client IP (every route but the probes), and units of work
    # per window per credential (a request, or a batch's items). Counted in Redis
    # (`redis_url`), so every API replica shares them.
    api_rate_limit_per_ip: int = Field(default=60, ge=1)
    api_rate_limit_per_key: int = Field(default=600, ge=1)
    api_rate_limit_window_s: int = Field(default=60, ge=1, le=3600)

    # ---------------------------------------------------------------- personal data
    # Resumes, postings, stage outputs and artifacts are deleted this long after a job was
    # created (beat, every `retention_interval_s`; the bucket's lifecycle rule as a backstop).
    retention_days: int = Field(default=30, ge=1, le=3650)
    retention_interval_s: int = Field(default=3600, ge=60)

    # ---------------------------------------------------------------- logs
    log_format: Literal["json", "console"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # ---------------------------------------------------------------- metrics
    # A worker serves its Prometheus metrics on this port (None: no exporter). Its pool
    # children count in PROMETHEUS_MULTIPROC_DIR, which must then be set (workers.metrics_server).
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"  # 0.0.0.0 in a container, so Prometheus reaches it

    # ---------------------------------------------------------------- the API (RT_API_*)
    api_max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    # A batch carries up to 500 postings (or resume + posting pairs), so it may be larger.
    api_max_batch_body_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    # How long /readyz waits on each dependency before calling it down.
    api_readiness_timeout_s: float = Field(default=2.0, gt=0)
    # Threads running the blocking route code, all but the submit's (each may hold a
    # Postgres connection). Few is faster: measured on 2 cores at 60 submits/s, 4 threads
    # answered at p99 54 ms where anyio's default 40 took seconds (GIL contention); 8 leaves
    # room for slow batch submits.
    api_threads: int = Field(default=8, ge=1, le=1000)
    # Postgres connections the submit route's async engine keeps (each insert holds one for
    # a round trip; the route awaits one when all are busy).
    api_submit_connections: int = Field(default=5, ge=1, le=100)
    # The built web page (web/dist) the API serves at `/`; None: the checkout's build, if any.
    api_web_dir: Path | None = None

    # ---------------------------------------------------------------- AI providers
    # Credentials and endpoints under the SDKs' own names, so any OpenAI-compatible server
    # (vLLM, Ollama, llama.cpp, LM Studio) works by setting OPENAI_BASE_URL.
    openai_api_key: str | None = Field(default=None, validation_alias="OPENAI_API_KEY",
                                          repr=False)
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    anthropic_api_key: str | None = Field(default=None, validation_alias="ANTHROPIC_API_KEY",
                                             repr=False)
    anthropic_base_url: str | None = Field(default=None, validation_alias="ANTHROPIC_BASE_URL")
    provider: str = _AI.provider  # a job's default: local | openai | anthropic
    # Fallback order, e.g. RT_PROVIDER_CHAIN="openai,anthropic,local" (local always last).
    provider_chain: Annotated[tuple[str, ...], NoDecode] = _AI.chain
    openai_model: str = _AI.openai_model
    # How an OpenAI-compatible server is asked for JSON (none: servers without JSON support).
    openai_json_mode: JsonMode = _AI.openai_json_mode
    anthropic_model: str = _AI.anthropic_model
    llm_timeout_s: float = Field(default=_AI.timeout_s, ge=0.1)
    llm_max_attempts: int = Field(default=_AI.max_attempts, ge=1)
    llm_concurrency: int = Field(default=_AI.concurrency, ge=1)
    llm_cache_ttl_s: int = Field(default=_AI.cache_ttl_s, ge=1)
    llm_breaker_threshold: int = Field(default=_AI.breaker_threshold, ge=1)
    llm_breaker_cooldown_s: float = Field(default=_AI.breaker_cooldown_s, ge=0)

    @field_validator(*_AI_FIELDS, mode="before")
    @classmethod
    def _unset_when_empty(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise PydanticUseDefault()
        return value

    @field_validator("provider", mode="after")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        try:
            return check_provider(value, "provider")
        except InvalidInput as exc:
            raise ValueError(exc.reason) from None

    @field_validator("provider_chain", mode="before")
    @classmethod
    def _chain(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return parse_chain(value, "provider_chain")
        except InvalidInput as exc:
            raise ValueError(exc.reason) from None

    def provider_config(self) -> ProviderConfig:
        """The pipeline's provider configuration, as plain values."""
        return ProviderConfig(
            provider=self.provider, chain=self.provider_chain,
            openai_api_key=self.openai_api_key, openai_base_url=self.openai_base_url,
            openai_model=self.openai_model, openai_json_mode=self.openai_json_mode,
            anthropic_api_key=self.anthropic_api_key,
            anthropic_base_url=self.anthropic_base_url, anthropic_model=self.anthropic_model,
            timeout_s=self.llm_timeout_s, max_attempts=self.llm_max_attempts,
            concurrency=self.llm_concurrency, cache_ttl_s=self.llm_cache_ttl_s,
            breaker_threshold=self.llm_breaker_threshold,
            breaker_cooldown_s=self.llm_breaker_cooldown_s,
        )

    @model_validator(mode="after")
    def _check(self) -> Settings:
        missing = [s for s in (*STAGES, "webhooks", "reaper", "rank")
                   if s not in self.soft_time_limits_s]
        if missing:
            raise ValueError(f"soft_time_limits_s: no limit for {', '.join(missing)}")
        longest = max(self.time_limit_s(name) for name in self.soft_time_limits_s)
        if self.visibility_timeout_s <= max(longest, self.retry_backoff_max_s):
            # Redis redelivers anything unacknowledged after this long, running it twice.
            raise ValueError(
                "visibility_timeout_s: must exceed the longest task time limit "
                f"({longest}s) and retry_backoff_max_s ({self.retry_backoff_max_s}s)"
            )
        self._check_jwt()
        for tenant in self.webhook_secrets:
            check_tenant(tenant, field=f"webhook_secrets.{tenant}")
        if self.environment != "development":
            self._refuse_placeholders()
        return self

    @model_validator(mode="after")
    def _check_lease(self) -> Settings:
        if self.stage_lease_s < 3 * self.stage_heartbeat_s:
            # One late renewal (a busy machine, a slow commit) must not cost a live stage.
            raise ValueError(
                f"stage_lease_s: must be at least 3 heartbeats ({3 * self.stage_heartbeat_s}s)")
        return self

    @property
    def jwt_enabled(self) -> bool:
        return bool(self.jwt_secret or self.jwt_public_key_file or self.jwt_jwks_file)

    def _check_jwt(self) -> None:
        keys = [n for n in ("jwt_secret", "jwt_public_key_file", "jwt_jwks_file")
                if getattr(self, n)]
        if len(keys) > 1:
            raise ValueError(f"{keys[0]}: set one of jwt_secret, jwt_public_key_file, "
                             f"jwt_jwks_file, not {len(keys)}")
        if keys and not (self.jwt_issuer and self.jwt_audience):
            raise ValueError("jwt_issuer, jwt_audience: both required once JWTs are on")
        if self.jwt_secret is not None and len(self.jwt_secret.encode()) < 32:
            # RFC 7518 §3.2: an HS256 key at least as long as the hash.
            raise ValueError("jwt_secret: shorter than 32 bytes")

    def _refuse_placeholders(self) -> None:
        secrets = {
            "s3_access_key": self.s3_access_key,
            "s3_secret_key": self.s3_secret_key,
            "webhook_secret_default": self.webhook_secret_default,
            **{f"webhook_secrets.{k}": v for k, v in self.webhook_secrets.items()},
            **({"jwt_secret": self.jwt_secret} if self.jwt_secret else {}),
        }
        for name, value in secrets.items():
            if value == _DEV_WEBHOOK_SECRET or _PLACEHOLDER_MARK in value:
                raise ValueError(
                    f"{name}: placeholder secret refused outside development "
                    f"(environment={self.environment}); set RT_{name.split('.')[0].upper()}"
                )

    def soft_time_limit_s(self, name: str) -> float:
        return self.soft_time_limits_s[name]

    def time_limit_s(self, name: str) -> float:
        return self.soft_time_limits_s[name] + self.time_limit_grace_s

    def queue_name(self, queue: str) -> str:
        return f"{self.key_prefix}{queue}"

    def webhook_secret_for(self, tenant: str) -> str:
        """The tenant's signing secret: its own if listed, else one derived from the default
        (`whsec_` + base64 of HMAC-SHA256(default key, tenant)), never the default itself,
        so one tenant's receiver cannot verify, or be sent forgeries of, another's events."""
        listed = self.webhook_secrets.get(tenant)
        if listed is not None:
            return listed
        derived = hmac.new(secret_key(self.webhook_secret_default),
                           b"resume-tailor tenant webhook secret:" + tenant.encode(),
                           hashlib.sha256).digest()
        return SECRET_PREFIX + base64.b64encode(derived).decode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once. Tests that change the environment call
    `get_settings.cache_clear()`."""
    return Settings()
