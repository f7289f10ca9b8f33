"""Documents the tests make themselves: a small PDF, ODT and DOCX, and hostile ones."""

from __future__ import annotations

import io
import zipfile

from media.documents import DOCX_MAIN, ODT


def pdf(text: str = "Study visit report") -> bytes:
    body = (f"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            f"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {text}\n"
            "trailer << /Root 1 0 R >>\n%%EOF\n")
    return body.encode()


def odt(mimetype: str = ODT) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        # The mimetype entry comes first and is stored, as ODF asks.
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>",
                   compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def docx(main: str = DOCX_MAIN) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
                   f'ContentType="{main}"/></Types>')
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def zip_bomb(megabytes: int = 150) -> bytes:
    """A DOCX-looking archive with an entry of zeros that inflates to ``megabytes`` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'<Types ContentType="{DOCX_MAIN}"/>')
        z.writestr("word/document.xml", b"\0" * (megabytes * 2**20))
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "not a document")
    return out.getvalue()
