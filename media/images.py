"""Checking and preparing an uploaded image, before anything is stored.

The bytes decide what a file is (Pillow opens it); the type the client declared must say
the same. An image past the pixel cap is refused as a decompression bomb before Pillow
decodes it. The kept original is encoded again from its pixels with its EXIF orientation
applied, so that no metadata (GPS position, camera serial, …) survives; renditions are
WebP of a few longest sides.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from geo.errors import InvalidFields, TooLarge

# Pillow's format -> the MIME type a client declares and we serve, and the suffix kept.
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
           "WEBP": ("image/webp", "webp")}
ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-png": "image/png"}
# Longest side in pixels: a list's thumbnail, a card, a page's photo.
SIZES = (160, 480, 1200)


@dataclass
class PreparedImage:
    """An image that passed every check, with the bytes to store."""

    mime_type: str
    suffix: str
    original: bytes
    width: int
    height: int
    sha256: str
    renditions: dict[int, bytes] = field(default_factory=dict)


def refused(message: str) -> InvalidFields:
    return InvalidFields({"file": [message]})


def prepare_image(data: bytes, declared_type: str) -> PreparedImage:
    """Check ``data`` (an upload's bytes, declared as ``declared_type``) and make what is
    stored of it; raises ``TooLarge`` or ``InvalidFields`` (field ``file``) otherwise."""
    limit = settings.ATLAS_MEDIA_MAX_IMAGE_BYTES
    if len(data) > limit:
        raise TooLarge(_("The image is %(size)s MB; at most %(limit)s MB are accepted.")
                       % {"size": round(len(data) / 2**20, 1), "limit": limit // 2**20})
    max_pixels = settings.ATLAS_MEDIA_MAX_PIXELS
    bomb = refused(_("The image would be larger than %(mp)s megapixels once opened: it is "
                     "refused (a decompression bomb, or a photo too large to show).")
                   % {"mp": f"{max_pixels / 1_000_000:g}"})
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            # Pillow only warns between the cap and twice it: both are refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                found = probe.format or ""
                probe.verify()
            if found not in FORMATS:
                raise refused(_("This file is not a JPEG, PNG or WebP image."))
            mime, suffix = FORMATS[found]
            declared = ALIASES.get(declared_type.lower(), declared_type.lower())
            if declared != mime:
                raise refused(_("The file says it is %(declared)s but its bytes are %(found)s: "
                                "it is refused.") % {"declared": declared_type or "?",
                                                    "found": mime})
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                upright = ImageOps.exif_transpose(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, InvalidFields):
            raise
        raise refused(_("This file is not an image that can be read (JPEG, PNG or WebP)."))\
            from None
    original = _encode(upright, found)
    prepared = PreparedImage(mime_type=mime, suffix=suffix, original=original,
                             width=upright.width, height=upright.height,
                             sha256=hashlib.sha256(original).hexdigest())
    for side in SIZES:
        small = upright.copy()
        small.thumbnail((side, side), Image.Resampling.LANCZOS)
        prepared.renditions[side] = _encode(small, "WEBP")
    return prepared


def _encode(img: Image.Image, fmt: str) -> bytes:
    """``img`` in ``fmt`` without its metadata: no EXIF, XMP or text chunks are passed on
    (only the colour profile, which says how its colours look)."""
    out = io.BytesIO()
    icc = img.info.get("icc_profile")
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        img.convert("RGB").save(out, "JPEG", quality=88, optimize=True, **extra)
    elif fmt == "PNG":
        img.save(out, "PNG", optimize=True, **extra)
    else:
        keep = img if img.mode in ("RGB", "RGBA") else img.convert(
            "RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB")
        keep.save(out, "WEBP", quality=82, **extra)
    return out.getvalue()
