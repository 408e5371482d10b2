"""The demo page and the embeddable widget (one <script> tag on a province's portal)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
router = APIRouter(include_in_schema=False)


@router.get("/")
async def demo_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/widget.js")
async def widget_js() -> FileResponse:
    return FileResponse(
        STATIC_DIR / "widget.js",
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/widget.css")
async def widget_css() -> FileResponse:
    return FileResponse(
        STATIC_DIR / "widget.css",
        media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )
