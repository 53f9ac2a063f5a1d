"""The web page (web/, built by `make web` into web/dist) served as static files at `/`.
Mounted after every API route, so `/v1`, `/docs`, `/healthz` and the rest answer first; an
API-only install without a build simply has no page."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

BUILT_PAGE = Path(__file__).resolve().parent.parent / "web" / "dist"


def mount_page(app: FastAPI, directory: Path | None = None) -> bool:
    """Serve the built page at `/` if there is one; True when mounted."""
    root = directory or BUILT_PAGE
    if not (root / "index.html").is_file():
        return False
    app.mount("/", StaticFiles(directory=root, html=True), name="web")
    return True
