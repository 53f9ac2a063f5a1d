"""The web page (web/, built by `make web` into web/dist) served as static files at `/`.
Mounted after every API route, so `/v1`, `/docs`, `/healthz` and the rest answer first; an
API-only install without a build simply has no page."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from pydantic_settings import BaseSettings, SettingsConfigDict

BUILT_PAGE = Path(__file__).resolve().parent.parent / "web" / "dist"


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RT_API_", extra="ignore")

    web_dir: Path = BUILT_PAGE  # RT_API_WEB_DIR: the built page to serve


def mount_page(app: FastAPI, directory: Path | None = None) -> bool:
    """Serve the built page at `/` if there is one; True when mounted."""
    root = directory or WebSettings().web_dir
    if not (root / "index.html").is_file():
        return False
    app.mount("/", StaticFiles(directory=root, html=True), name="web")
    return True
