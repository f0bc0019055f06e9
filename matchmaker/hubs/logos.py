"""A hub's logo or photo: checked and resized with Pillow, stored under UPLOAD_DIR/logos/.

Only PNG, JPEG and WebP are read (Pillow is told so: no other decoder ever sees an
upload), files and pictures over the limits are refused before they are decoded, the
picture is turned upright as the camera meant it, and what is stored is drawn anew at two
sizes as WebP without the original's metadata (location, camera, comments). Each upload
gets a new random name, so the files are served to be cached for ever.
"""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import InputError
from matchmaker.i18n import current_language
from matchmaker.models import Organisation, User
from matchmaker.permissions import require_hub_editor
from matchmaker.validation import size_text

FIELD = "logo"
FORMATS = ("PNG", "JPEG", "WEBP")
SIZES = (512, 96)  # the picture on the hub's page, and the thumbnail beside its name
QUALITY = 85


@dataclass(frozen=True)
class LogoLimits:
    max_bytes: int
    max_pixels: int
    folder: Path  # UPLOAD_DIR/logos

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> LogoLimits:
        return cls(
            config["LOGO_MAX_BYTES"],
            config["LOGO_MAX_PIXELS"],
            Path(config["UPLOAD_DIR"]) / "logos",
        )


def logo_file(folder: Path, key: str, size: int) -> Path:
    return folder / f"{key}-{size}.webp"


def resized(data: bytes, limits: LogoLimits) -> dict[int, bytes]:
    """The picture at each of `SIZES` (never enlarged) as WebP, or `InputError` saying why
    it cannot be used."""
    if not data:
        raise InputError.of(FIELD, _("the file is empty: choose a PNG, JPEG or WebP picture"))
    if len(data) > limits.max_bytes:
        raise InputError.of(
            FIELD, _("the file is larger than %(size)s", size=size_text(limits.max_bytes))
        )
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except UnidentifiedImageError:
        raise InputError.of(FIELD, _("is not a PNG, JPEG or WebP picture")) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError.of(FIELD, _too_many_pixels(limits)) from None
    with image:
        width, height = image.size
        if width * height > limits.max_pixels:
            raise InputError.of(
                FIELD,
                _(
                    "the picture is %(width)s × %(height)s pixels: %(limit)s",
                    width=width,
                    height=height,
                    limit=_too_many_pixels(limits),
                ),
            )
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (OSError, ValueError, SyntaxError):
            raise InputError.of(FIELD, _("the picture is damaged or cut short")) from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    clean = upright.convert("RGBA" if has_alpha else "RGB")
    out = {}
    for size in SIZES:
        copy = clean.copy()
        copy.thumbnail((size, size), Image.Resampling.LANCZOS)
        copy.info = {}  # nothing of the original's metadata is written
        buffer = io.BytesIO()
        copy.save(buffer, "WEBP", quality=QUALITY, method=4)
        out[size] = buffer.getvalue()
    return out


def _too_many_pixels(limits: LogoLimits) -> str:
    millions = format_decimal(limits.max_pixels / 1_000_000, locale=current_language())
    return _("at most %(millions)s million pixels are accepted", millions=millions)


def save_logo(
    session: Session, user: User | None, hub: Organisation, data: bytes, limits: LogoLimits
) -> str:
    """Store a new logo for the hub (its manager's, or an admin's doing); the old files go
    once the new name is committed. Returns the new key."""
    require_hub_editor(user, hub.id)
    pictures = resized(data, limits)
    key = secrets.token_hex(16)
    limits.folder.mkdir(parents=True, exist_ok=True)
    written = [_write(logo_file(limits.folder, key, size), body) for size, body in pictures.items()]
    old = hub.logo_key
    try:
        hub.logo_key = key
        session.commit()
    except BaseException:
        session.rollback()
        _remove(written)
        raise
    if old:
        _remove(logo_file(limits.folder, old, size) for size in SIZES)
    return key


def remove_logo(session: Session, user: User | None, hub: Organisation, limits: LogoLimits) -> None:
    require_hub_editor(user, hub.id)
    old = hub.logo_key
    hub.logo_key = None
    session.commit()
    if old:
        _remove(logo_file(limits.folder, old, size) for size in SIZES)


def logo_keys(session: Session, organisation_ids: Iterable[int]) -> dict[int, str]:
    """The logo of each organisation that has one, for lists (suggestions) in one query."""
    ids = list(organisation_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Organisation.id, Organisation.logo_key).where(
            Organisation.id.in_(ids), Organisation.logo_key.is_not(None)
        )
    )
    return {organisation_id: key for organisation_id, key in rows if key}


def _write(path: Path, body: bytes) -> Path:
    """Whole or not at all: a reader never finds half a file."""
    partial = path.with_suffix(".part")
    partial.write_bytes(body)
    os.replace(partial, path)
    return path


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
