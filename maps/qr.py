"""QR codes of the platform's pages, for printed leaflets and signs (segno): SVG to print
at any size, PNG for documents and screens. A code holds the page's absolute address,
with its language when one is asked for (``?lang=``); without it, each reader's phone
opens the page in its own language."""

from __future__ import annotations

import io

import segno
from django.http import HttpResponse

# Level M restores about 15 % of a damaged code: a sign outdoors gets scratched.
ERROR_LEVEL = "m"
PNG_SCALE = 8  # pixels per module: a code of ~40 modules is ~380 px with its border
BORDER = 4  # the quiet zone the standard asks for, in modules
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def qr_code(data: str) -> segno.QRCode:
    return segno.make_qr(data, error=ERROR_LEVEL)


def qr_svg_inline(data: str, *, title: str = "") -> str:
    """The code as an <svg> element to put in a page (the leaflet)."""
    out = io.BytesIO()
    qr_code(data).save(out, kind="svg", scale=4, border=BORDER, xmldecl=False,
                       svgns=True, title=title or None, svgclass="qr", lineclass=None)
    return out.getvalue().decode()


def qr_response(data: str, fmt: str, *, filename: str) -> HttpResponse:
    out = io.BytesIO()
    code = qr_code(data)
    if fmt == "svg":
        code.save(out, kind="svg", scale=10, border=BORDER, title=data)
    else:
        code.save(out, kind="png", scale=PNG_SCALE, border=BORDER)
    response = HttpResponse(out.getvalue(), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response
