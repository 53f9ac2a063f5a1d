"""`/v1/meta`: what a client may choose on this server (templates, configured AI providers)
and the limits it checks against, so a form offers only what a submit would accept."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import Caller, SettingsDep
from api.errors import PROBLEM_RESPONSES
from api.schemas import ARTIFACT_NAMES, MAX_BATCH_ITEMS, MAX_POSTING_CHARS
from pipeline.compile.render import list_templates
from pipeline.providers.config import PROVIDERS

router = APIRouter(prefix="/v1", tags=["meta"], responses=PROBLEM_RESPONSES)


class TemplateOut(BaseModel):
    name: str
    description: str


class ProviderOut(BaseModel):
    name: str
    default: bool = Field(description="The provider a submit without `provider` uses.")


class MetaOut(BaseModel):
    templates: list[TemplateOut]
    providers: list[ProviderOut] = Field(
        description="The providers a submit may name: those with a key or base URL configured "
                    "on this server, and `local`, which always is.")
    max_batch_items: int
    max_posting_chars: int
    artifacts: list[str]


@router.get("/meta", response_model=MetaOut)
async def get_meta(settings: SettingsDep, caller: Caller) -> MetaOut:
    """Any valid credential may read this (the page asks for it once a key is entered)."""
    config = settings.provider_config()
    return MetaOut(
        templates=[TemplateOut(name=name, description=text) for name, text in list_templates()],
        providers=[ProviderOut(name=name, default=name == config.provider)
                   for name in PROVIDERS if config.configured(name)],
        max_batch_items=MAX_BATCH_ITEMS,
        max_posting_chars=MAX_POSTING_CHARS,
        artifacts=list(ARTIFACT_NAMES),
    )
