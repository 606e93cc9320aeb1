"""Checks on uploaded files before they are stored."""

from __future__ import annotations

import io

from src.utils.images import thumbnail

ALLOWED = {"image/png", "image/jpeg", "application/pdf"}

import magic  # noqa: E402  (kept late, as it was in the original code)


def validate_upload(data: bytes) -> str:
    kind = magic.from_buffer(data, mime=True)
    if kind not in ALLOWED:
        raise ValueError(f"unsupported upload type {kind}")
    if kind.startswith("image/"):
        thumbnail(io.BytesIO(data))
    return kind
