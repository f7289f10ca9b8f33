"""Images the tests make themselves (nothing downloaded)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

# The admin's photo inline (media.admin.PhotoInline) on an owner's form, with no photo.
PHOTO_INLINE = "media-mediaitem-owner_type-owner_id"
NO_PHOTOS = {f"{PHOTO_INLINE}-TOTAL_FORMS": "0", f"{PHOTO_INLINE}-INITIAL_FORMS": "0"}


def jpeg(width: int = 640, height: int = 480, *, gps: bool = False, orientation: int = 1,
         colour: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    """A JPEG, with an EXIF GPS position (Stara Zagora) and orientation when asked."""
    img = Image.new("RGB", (width, height), colour)
    # A darker left half, to tell a rotation from none.
    img.paste((20, 20, 20), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestCam"
    if gps:
        exif[0x8825] = {1: "N", 2: (42.0, 25.0, 30.0), 3: "E", 4: (25.0, 38.0, 10.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(width: int = 300, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 140, 80, 200)).save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb
    as a hostile client sends it (the header is all Pillow reads before refusing)."""
    data = bytearray(png(8, 8))
    # IHDR is the first chunk: 8 bytes of signature, 4 of length, 4 of type, then data.
    start = 16
    data[start:start + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:start + 13])) & 0xFFFFFFFF
    data[start + 13:start + 17] = struct.pack(">I", crc)
    return bytes(data)
