"""`/v1/meta`: what a client may choose on this server (templates, configured AI providers)
and the limits it checks against, so a form offers only what a submit would accept."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, SettingsDep
from api.errors import ANY_CREDENTIAL, responses
from api.schemas import ARTIFACT_NAMES, MAX_BATCH_ITEMS, MAX_POSTING_CHARS
from pipeline.compile.render import list_templates
from pipeline.providers.config import PROVIDERS

router = APIRouter(prefix="/v1", tags=["meta"])


class TemplateOut(BaseModel):
    """A LaTeX template a submit may name."""

    name: str = Field(description="What `template` takes.")
    description: str = Field(description="What it looks like.")


class ProviderOut(BaseModel):
    """An AI provider a submit may name."""

    name: str = Field(description="What `provider` takes.")
    default: bool = Field(description="The provider a submit without `provider` uses.")


class MetaOut(BaseModel):
    """What a submit may choose on this server, and the limits it is checked against."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "templates": [{"name": "classic", "description": "Serif, centred heading"}],
        "providers": [{"name": "local", "default": True}],
        "max_batch_items": 500, "max_posting_chars": 50000,
        "artifacts": ["resume.pdf", "resume.tex", "report.json", "tailored.json"],
    }]})

    templates: list[TemplateOut] = Field(description="The templates, by name.")
    providers: list[ProviderOut] = Field(
        description="The providers a submit may name: those with a key or base URL configured "
                    "on this server, and `local`, which always is.")
    max_batch_items: int = Field(description="Most jobs one batch may hold.")
    max_posting_chars: int = Field(description="Longest posting accepted, in characters.")
    artifacts: list[str] = Field(description="Names of the files a job may write.")


@router.get("/meta", response_model=MetaOut, summary="What this server offers",
            responses=responses(*ANY_CREDENTIAL))
async def get_meta(settings: SettingsDep, caller: Caller) -> MetaOut:
    """The templates, AI providers and artifact names a submit may use on this server, and
    the limits it checks, so a client offers only what would be accepted. It changes only
    when the server's configuration does: cache it for minutes.

    Any valid credential may read it, whatever its scopes (the web page asks for it once a
    key is entered). Read-only."""
    config = settings.provider_config()
    return MetaOut(
        templates=[TemplateOut(name=name, description=text) for name, text in list_templates()],
        providers=[ProviderOut(name=name, default=name == config.provider)
                   for name in PROVIDERS if config.configured(name)],
        max_batch_items=MAX_BATCH_ITEMS,
        max_posting_chars=MAX_POSTING_CHARS,
        artifacts=list(ARTIFACT_NAMES),
    )
