"""Settings validation, queue routing and the chain's shape: no services needed."""

from __future__ import annotations

from typing import Any

import pytest
from kombu.exceptions import KombuError
from pydantic import ValidationError

from workers.app import STAGE_TASKS, app, build_config
from workers.cache import normalise_posting
from workers.chain import build_chain
from workers.settings import STAGES, Settings, get_settings


@pytest.fixture(autouse=True)
def _no_rt_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings built here see only what each test sets, not a service session's RT_*."""
    import os

    for name in [n for n in os.environ if n.startswith(("RT_", "OPENAI_", "ANTHROPIC_"))]:
        monkeypatch.delenv(name)
    # The shipped placeholders, which only development accepts (the default refuses them).
    monkeypatch.setenv("RT_ENVIRONMENT", "development")


REAL = {
    "s3_access_key": "AKREALKEY", "s3_secret_key": "a-real-secret",
    "webhook_secret_default": "whsec_cmVhbGx5LXJlYWxseS1yZWFsLXNlY3JldA==",
}


def test_the_default_environment_refuses_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    # A deployment that forgets RT_ENVIRONMENT gets production, not the development secrets.
    monkeypatch.delenv("RT_ENVIRONMENT")
    with pytest.raises(ValidationError, match="s3_access_key: placeholder"):
        Settings()
    assert Settings(**REAL).environment == "production"
    with pytest.raises(ValidationError, match="jwt_secret: placeholder"):
        Settings(**REAL, jwt_secret="change-me-" + "x" * 40, jwt_issuer="i", jwt_audience="a")


def test_jwt_settings_are_checked() -> None:
    with pytest.raises(ValidationError, match="jwt_issuer, jwt_audience"):
        Settings(jwt_secret="s" * 32)
    with pytest.raises(ValidationError, match="shorter than 32 bytes"):
        Settings(jwt_secret="short", jwt_issuer="i", jwt_audience="a")
    with pytest.raises(ValidationError, match="set one of"):
        Settings(jwt_secret="s" * 32, jwt_jwks_file="/k.json", jwt_issuer="i", jwt_audience="a")
    assert not Settings().jwt_enabled
    assert Settings(jwt_jwks_file="/k.json", jwt_issuer="i", jwt_audience="a").jwt_enabled


def test_tenant_names_in_settings_are_checked() -> None:
    with pytest.raises(ValidationError, match="webhook_secrets.Acme"):
        Settings(webhook_secrets={"Acme": "whsec_x"})


def test_placeholder_secrets_are_refused_outside_development() -> None:
    Settings(environment="development")  # the shipped defaults are fine here
    with pytest.raises(ValidationError, match="s3_access_key: placeholder"):
        Settings(environment="production")
    with pytest.raises(ValidationError, match="webhook_secret_default"):
        Settings(environment="production", **{**REAL, "webhook_secret_default":
                                               Settings().webhook_secret_default})
    with pytest.raises(ValidationError, match=r"webhook_secrets\.acme"):
        Settings(environment="staging", webhook_secrets={"acme": "whsec_change-me"}, **REAL)
    settings = Settings(environment="production", webhook_secrets={"acme": "whsec_x"}, **REAL)
    assert settings.webhook_secret_for("acme") == "whsec_x"


def test_each_tenant_gets_its_own_webhook_secret() -> None:
    from workers.webhooks.signing import secret_key

    settings = Settings(**REAL)
    one, other = settings.webhook_secret_for("one"), settings.webhook_secret_for("other")
    assert len({one, other, REAL["webhook_secret_default"]}) == 3
    assert len(secret_key(one)) == 32 and one == Settings(**REAL).webhook_secret_for("one")


def test_visibility_timeout_must_exceed_time_limits_and_backoff() -> None:
    with pytest.raises(ValidationError, match="visibility_timeout_s"):
        Settings(visibility_timeout_s=100)  # rewrite's hard limit is 195 s
    with pytest.raises(ValidationError, match="visibility_timeout_s"):
        Settings(visibility_timeout_s=1000, retry_backoff_max_s=2000)
    with pytest.raises(ValidationError, match="no limit for score, rewrite, compile"):
        Settings(soft_time_limits_s={"parse": 1})


def test_provider_settings_read_the_sdk_variables_and_name_bad_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1",
        "RT_PROVIDER": "openai", "RT_PROVIDER_CHAIN": "openai, anthropic ,local",
        "RT_OPENAI_MODEL": "llama3.1:8b", "RT_OPENAI_JSON_MODE": "object",
        "RT_LLM_TIMEOUT_S": "12.5", "RT_LLM_MAX_ATTEMPTS": "", "ANTHROPIC_API_KEY": " ",
    }.items():
        monkeypatch.setenv(name, value)
    config = Settings().provider_config()
    assert config.provider == "openai"
    assert config.chain == ("openai", "anthropic", "local")
    assert (config.openai_api_key, config.openai_base_url) == (
        "sk-test", "http://127.0.0.1:11434/v1")
    assert (config.openai_model, config.openai_json_mode, config.timeout_s) == (
        "llama3.1:8b", "object", 12.5)
    # An empty variable is an unset one.
    assert (config.max_attempts, config.anthropic_api_key) == (4, None)
    assert config.order() == ["openai", "local"]  # anthropic's key is empty: no fallback
    for name, value, field in [
        ("RT_LLM_TIMEOUT_S", "soon", "llm_timeout_s"),
        ("RT_LLM_TIMEOUT_S", "0", "llm_timeout_s"),
        ("RT_PROVIDER_CHAIN", "openai,bard", "provider_chain"),
        ("RT_PROVIDER", "gemini", "provider"),
        ("RT_OPENAI_JSON_MODE", "xml", "openai_json_mode"),
    ]:
        with monkeypatch.context() as env:
            env.setenv(name, value)
            with pytest.raises(ValidationError) as info:
                Settings()
            assert [error["loc"] for error in info.value.errors()] == [(field,)], name


def test_provider_settings_default_to_local_only() -> None:
    settings = Settings()
    assert settings.provider_config().order() == ["local"]
    assert "sk-secret" not in repr(Settings(openai_api_key="sk-secret"))


def test_api_settings_keep_their_rt_api_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RT_API_MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("RT_API_RATE_LIMIT_PER_IP", "7")
    settings = Settings()
    assert (settings.api_max_body_bytes, settings.api_rate_limit_per_ip) == (4096, 7)
    assert Settings().retention_days == 30
    monkeypatch.setenv("RT_API_THREADS", "0")
    with pytest.raises(ValidationError, match="api_threads"):
        Settings()


def test_settings_read_the_rt_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RT_BROKER_URL", "amqp://guest@127.0.0.1:5672//")
    monkeypatch.setenv("RT_WEBHOOK_SECRETS", '{"acme": "whsec_abc"}')
    monkeypatch.setenv("RT_KEY_PREFIX", "blue:")
    settings = Settings()
    assert settings.broker_url.startswith("amqp://")
    assert settings.webhook_secrets == {"acme": "whsec_abc"}
    config = build_config(settings)
    # A prefix isolates queue names on any broker; Redis keys get it too, AMQP has none.
    assert config["task_routes"]["workers.tasks.compile.*"] == {"queue": "blue:compile"}
    assert "global_keyprefix" not in config["broker_transport_options"]


def test_each_stage_task_routes_to_its_own_queue_with_its_limits() -> None:
    settings = get_settings()  # what the app was configured from
    config = build_config(settings)
    app.loader.import_default_modules()  # what a worker does at start
    assert config["task_acks_late"] and config["task_reject_on_worker_lost"]
    assert config["worker_prefetch_multiplier"] == 1 and config["accept_content"] == ["json"]
    for stage, name in STAGE_TASKS.items():
        assert name in app.tasks  # registered by the included task modules
        route = app.amqp.router.route({}, name)
        assert route["queue"].name == settings.queue_name(stage)
        limits = config["task_annotations"][name]
        assert limits["time_limit"] > limits["soft_time_limit"]
        assert limits["soft_time_limit"] == settings.soft_time_limits_s[stage]
    assert app.amqp.router.route({}, "workers.webhooks.deliver")["queue"].name.endswith("webhooks")


def test_chain_carries_only_the_job_id_with_planned_task_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job_chain = build_chain("7f1e", from_stage="rewrite")
    tasks = job_chain.signatures()
    assert [t.task for t in tasks] == [STAGE_TASKS[s] for s in STAGES[2:]]
    assert all(t.args == ("7f1e",) and t.immutable and t.options["ignore_result"] for t in tasks)
    assert [t.id for t in tasks] == list(job_chain.task_ids) and len(set(job_chain.task_ids)) == 3
    with pytest.raises(ValueError, match="from_stage"):
        build_chain("7f1e", from_stage="deploy")

    # What goes to the broker: the first stage, carrying the rest last-first, as Celery's
    # worker pops them (the service tests run such chains through real workers).
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(app, "send_task", lambda name, **kw: sent.append((name, kw)))
    job_chain.send()
    [(name, options)] = sent
    assert name == STAGE_TASKS["rewrite"] and options["args"] == ("7f1e",)
    assert options["task_id"] == job_chain.task_ids[0] and options["ignore_result"]
    assert [sig.id for sig in reversed(options["chain"])] == list(job_chain.task_ids[1:])


def test_posting_normalisation_ignores_only_what_the_parser_cannot_see() -> None:
    text = "Title\r\n\r\n\r\n  - Python   \nGo"
    assert normalise_posting(text) == "Title\n\n  - Python\nGo"
    assert normalise_posting(" \n" + text + "\n\n") == normalise_posting(text)
    assert normalise_posting("go") != normalise_posting("Go")


def test_a_broker_that_never_answers_fails_a_publish_within_the_socket_timeout() -> None:
    # The API publishes from its event loop: a Redis that accepts connections and then says
    # nothing (hung, or a black-holed port) must cost seconds, not the loop forever.
    import socket
    import time

    from celery import Celery

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        settings = Settings(broker_url=f"redis://127.0.0.1:{port}/0", result_backend=None,
                            broker_socket_timeout_s=1.5)
        config = build_config(settings)
        assert config["broker_transport_options"]["socket_timeout"] == 1.5
        probe = Celery("probe")
        probe.conf.update(config)
        started = time.monotonic()
        with pytest.raises(KombuError, match="(?i)timeout"):
            probe.send_task("workers.tasks.parse.run", args=("x",), retry=False)
        # redis-py tries a command three times, each bounded by the timeout.
        assert time.monotonic() - started < 4 * 1.5
