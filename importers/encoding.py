"""Which code page a shapefile's DBF text is in, and why we think so.

Partners' desktop GIS write Windows code pages and often say nothing about
it: Bulgarian shapefiles in cp1251 without a ``.cpg``, Greek ones in cp1253
with a language-driver byte of 0x57 ("ANSI": whatever the writer's Windows
used). We honour what the files say, check it against the bytes, and fall
back to reading the bytes: UTF-8 is recognised by its validity, the single-byte
code pages by how coherent the decoded words are (one script per word, letters
rather than symbols, plausible letters for the languages written in it).
"""

from __future__ import annotations

import codecs
import re
import struct
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_noop as _

from importers.messages import Message

# Candidates for detection, in the order ties are broken when nothing else decides.
DETECTABLE = ("cp1251", "cp1253", "cp1252", "cp1250")

# DBF language-driver ids (byte 29) that name one code page. 0x00 (none) and
# 0x57 ("ANSI": the system code page of whoever wrote the file) say nothing.
LDID_CODEPAGES: dict[int, str] = {
    0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x1B: "cp437", 0x26: "cp866",
    0x64: "cp852", 0x65: "cp866", 0x66: "cp865", 0x67: "cp861", 0x6A: "cp737",
    0x6B: "cp857", 0x78: "cp950", 0x79: "cp949", 0x7A: "cp936", 0x7B: "cp932",
    0x7C: "cp874", 0x7D: "cp1255", 0x7E: "cp1256", 0x86: "cp737", 0x87: "cp852",
    0x88: "cp857", 0xC8: "cp1250", 0xC9: "cp1251", 0xCA: "cp1254", 0xCB: "cp1253",
    0xCC: "cp1257",
}

# Letters that are common in the languages each code page is used for; a
# decoding that yields many of them is more likely right than one that yields
# the rarer letters sharing their byte values.
BULGARIAN = "абвгдежзийклмнопрстуфхцчшщъьюя"
GREEK = "αβγδεζηθικλμνξοπρστυφχψωςάέήίόύώϊϋΐΰ"
# The most frequent letters of Bulgarian and Greek text: one code page's
# letters read in the other come out as the rarer ones.
COMMON = {
    "cp1251": set("оаеитнрсвлкдпм" + "оаеитнрсвлкдпм".upper()),
    "cp1253": set("αοιετσνηυρπκμλάόίέ" + "αοιετσνηυρπκμλ".upper()),
}
TYPICAL = {
    "cp1251": set(BULGARIAN + BULGARIAN.upper()),
    "cp1253": set(GREEK + GREEK.upper()),
    "cp1252": set("àâäçèéêëîïôöùûüÿœæñáíóúãõßÀÂÄÇÈÉÊËÎÏÔÖÙÛÜŸŒÆÑÁÍÓÚ"),
    "cp1250": set("áäčďéěíĺľňóôöŕřšťúůýžąćęłńśźżőűăâîșțÁÄČĎÉĚÍĹĽŇÓÔÖŔŘŠŤÚŮÝŽĄĆĘŁŃŚŹŻŐŰ"),
}
SCRIPT_OF = {"cp1251": "CYRILLIC", "cp1253": "GREEK", "cp1252": "LATIN", "cp1250": "LATIN"}
LANGUAGE_CODEPAGE = {"bg": "cp1251", "el": "cp1253", "fr": "cp1252"}
HARMLESS = set("„“”‘’«»–—…°№€§©®·•×±µ¬ ")

CPG_PATTERN = re.compile(
    r"^(?:ansi\s*|windows[-_ ]?|cp[-_ ]?|ms[-_ ]?|code\s*page\s*)?(\d{3,5})$", re.IGNORECASE)


class EncodingError(ValueError):
    def __init__(self, message: Message):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class EncodingChoice:
    encoding: str  # a Python codec name, e.g. "cp1251" or "utf-8"
    reason: Message


def normalise_codec(name: str) -> str:
    """A Python codec name for ``name``, or EncodingError."""
    try:
        return codecs.lookup(name.strip()).name.replace("_", "-")
    except LookupError:
        raise EncodingError(Message(_("unknown encoding %(name)s"), name=repr(name))) from None


def parse_cpg(text: str) -> str | None:
    """The codec a ``.cpg`` names: ``1251``, ``CP1251``, ``ANSI 1251``, ``windows-1251``…"""
    value = text.strip().strip("\x00").strip()
    if not value:
        return None
    match = CPG_PATTERN.match(value)
    if match:
        number = match.group(1)
        if number == "65001":
            return "utf-8"
        value = "latin-1" if number in ("28591", "88591") else f"cp{number}"
    try:
        return normalise_codec(value)
    except EncodingError:
        return None


SAMPLE_BYTES = 16 * 1024  # distinct non-ASCII text enough to tell the code pages apart


def dbf_text_sample(dbf: Path, max_records: int = 100_000) -> tuple[int, list[bytes]]:
    """The language-driver byte and distinct raw non-ASCII character values of a DBF."""
    with dbf.open("rb") as fh:
        header = fh.read(32)
        if len(header) < 32:
            raise EncodingError(Message(_("%(file)s: truncated DBF header"), file=dbf.name))
        n_records, header_len, record_len = struct.unpack("<IHH", header[4:12])
        ldid = header[29]
        fields: list[tuple[int, int]] = []  # (offset in record, length) of C fields
        offset = 1  # deletion flag
        while fh.tell() < header_len - 1:
            desc = fh.read(32)
            if len(desc) < 32 or desc[0] == 0x0D:
                break
            ftype, flen = chr(desc[11]), desc[16]
            if ftype == "C":
                fields.append((offset, flen))
            offset += flen
        if not fields or record_len == 0:
            return ldid, []
        fh.seek(header_len)
        values: dict[bytes, None] = {}
        size = 0
        for _record in range(min(n_records, max_records)):
            record = fh.read(record_len)
            if len(record) < record_len or size >= SAMPLE_BYTES:
                break
            for start, length in fields:
                raw = record[start:start + length].rstrip(b" \x00")
                if raw and not raw.isascii() and raw not in values:
                    values[raw] = None
                    size += len(raw)
    return ldid, list(values)


# Letters Bulgarian does not use (or hardly: Ь); Greek letters with diaeresis.
@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ")[0]


RARE = {"cp1251": set("ЫЭЁЬыэё"), "cp1253": set("ΰϊϋΐΪΫ")}
# Greek words end in a vowel, ς, ν or ρ (loanwords aside).
GREEK_FINALS = set("αεηιουωςνράέήίόύώΑΕΗΙΟΥΩΣΝΡΆΈΉΊΌΎΏ")


WORD_SPLIT = re.compile(r"[\s\d.,;:()\[\]/\\\-_'\"!?]+")


def _score(text: str, codec: str) -> float:
    """How plausible ``text`` is as the decoding in ``codec``: higher is better.

    Mojibake gives itself away: symbols inside words, words mixing scripts,
    capitals in the middle of lower-case words (Greek read as cp1251), words
    made almost only of accented letters (Cyrillic read as cp1252), Greek
    final sigma in the middle of a word (Cyrillic read as cp1253).
    """
    # A sum over words: each distinct word is scored once (names repeat words).
    return sum(n * _word_score(word, codec)
               for word, n in Counter(WORD_SPLIT.split(text)).items())


def _word_score(word: str, codec: str) -> float:
    home = SCRIPT_OF.get(codec)
    typical, rare = TYPICAL.get(codec, set()), RARE.get(codec, set())
    common = COMMON.get(codec, set())
    score = 0.0
    letters = [ch for ch in word if ch.isalpha()]
    if not letters or all(ord(ch) < 0x80 for ch in letters):
        return score
    scripts = set()
    for i, ch in enumerate(word):
        if ord(ch) < 0x80 or ch in HARMLESS:
            if ch.isalpha():
                scripts.add("LATIN")
            continue
        if not ch.isalpha():
            score -= 3
            continue
        script = _script(ch)
        scripts.add(script)
        score += (script == home) + (ch in typical) + (ch in common) - 3 * (ch in rare)
        if ch == "ς" and i < len(word) - 1:
            score -= 2
    score -= 4 * (len(scripts) - 1)
    if home == "GREEK" and len(letters) >= 3 and letters[-1] not in GREEK_FINALS:
        score -= 2
    if len(letters) >= 2 and not word.isupper() and any(
            ch.isupper() for ch in letters[1:]):
        score -= 2
    accented = sum(ord(ch) >= 0x80 for ch in letters)
    if home == "LATIN" and len(letters) >= 3 and accented / len(letters) >= 0.8:
        score -= 3 * accented
    return score


# The scripts detection tells apart, as the reasons name them.
SCRIPT_WORDS = {"CYRILLIC": _("the bytes read as Cyrillic text in %(codec)s"),
                "GREEK": _("the bytes read as Greek text in %(codec)s"),
                "LATIN": _("the bytes read as Latin text in %(codec)s")}


def detect(values: list[bytes], prefer: str | None = None) -> tuple[str, Message]:
    """The most plausible codec for ``values`` and a sentence saying why."""
    joined = b"\n".join(values)
    if not joined:
        return "utf-8", Message(_("the text is plain ASCII"))
    try:
        joined.decode("utf-8")
        return "utf-8", Message(_("the text is valid UTF-8"))
    except UnicodeDecodeError:
        pass
    scores: dict[str, float] = {}
    for codec in DETECTABLE:
        try:
            text = joined.decode(codec)
        except UnicodeDecodeError:
            continue
        scores[codec] = _score(text, codec)
    order = {c: i for i, c in enumerate(DETECTABLE)}
    best = max(scores, key=lambda c: (scores[c], c == prefer, -order[c]))
    return best, Message(SCRIPT_WORDS[SCRIPT_OF[best]], codec=best)


def codec_for(name: str) -> str:
    """A Python codec for a name given by hand: every spelling a ``.cpg`` may use
    (``ANSI 1251``, ``1251``, ``windows-1251``…) and Python's own names."""
    codec = parse_cpg(name)
    if codec is None:
        raise EncodingError(Message(_("unknown encoding %(name)s"), name=repr(name)))
    return codec


def not_in_encoding(values: list[bytes], codec: str, error: UnicodeDecodeError,
                    said: Message, prefer: str | None = None) -> Message:
    """Why text that ``codec`` cannot decode was refused, naming the encoding it looks like.

    ``said``: why ``codec`` was expected ("given with --encoding").
    """
    detected, why = detect(values, prefer) if values else ("", None)
    bad = error.object[error.start:error.start + 1].hex().upper()
    head = Message(_("the text is not %(codec)s (%(said)s): byte 0x%(byte)s cannot be read "
                     "in it"), codec=codec, said=said, byte=bad)
    if not detected or detected == codec:
        return head
    return Message(_("%(problem)s; it looks like %(detected)s (%(why)s): use --encoding "
                     "%(detected)s"), problem=head, detected=detected, why=why)


NON_ASCII_WORD = re.compile(rb'[^\s"\\,:{}\[\]<>]*[\x80-\xff][^\s"\\,:{}\[\]<>]*')


def text_file_sample(path: Path, limit: int = SAMPLE_BYTES) -> list[bytes]:
    """Distinct words with non-ASCII bytes of a text file (JSON, XML), for ``detect``."""
    values: dict[bytes, None] = {}
    size = 0
    with path.open("rb") as fh:
        while size < limit and (chunk := fh.read(1 << 20)):
            for word in NON_ASCII_WORD.findall(chunk):
                if word not in values:
                    values[word] = None
                    size += len(word)
    return list(values)


def transcode_to_utf8(path: Path, codec: str) -> None:
    """Rewrite ``path`` in UTF-8 from ``codec``, a chunk at a time; UnicodeDecodeError
    when the bytes are not ``codec``."""
    decoder = codecs.getincrementaldecoder(codec)()
    target = path.with_name(path.name + ".utf8")
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := src.read(1 << 20):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
    target.replace(path)


XML_DECLARATION = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


def xml_encoding(path: Path, kind: str) -> EncodingChoice:
    """The encoding an XML file (GPX, KML: ``kind``) is in, by its BOM or declaration."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return EncodingChoice("utf-16", Message(_("%(kind)s is XML: its byte order mark says "
                                                  "UTF-16"), kind=kind))
    match = XML_DECLARATION.match(head)
    if match is None:
        return EncodingChoice("utf-8", Message(_("%(kind)s is XML and its declaration names no "
                                                 "encoding: UTF-8"), kind=kind))
    declared = match.group(1).decode("ascii")
    try:
        codec = normalise_codec(declared)
    except EncodingError:
        raise EncodingError(Message(_("its XML declaration names the encoding %(name)s, which "
                                      "is not known"), name=repr(declared))) from None
    return EncodingChoice(codec, Message(_("%(kind)s is XML: its declaration says %(name)s"),
                                         kind=kind, name=declared))


def choose_dbf_encoding(
    *, dbf: Path, cpg: Path | None, explicit: str | None = None,
    prefer_language: str | None = None,
) -> EncodingChoice:
    """The encoding to read ``dbf`` with, honouring ``explicit``, the ``.cpg`` and the LDID."""
    ldid, values = dbf_text_sample(dbf)
    prefer = LANGUAGE_CODEPAGE.get(prefer_language or "")
    if explicit:
        codec = codec_for(explicit)
        try:
            b"\n".join(values).decode(codec)
        except UnicodeDecodeError as exc:
            raise EncodingError(not_in_encoding(
                values, codec, exc, Message(_("given with --encoding")), prefer)) from None
        return EncodingChoice(codec, Message(_("given with --encoding")))
    detected, why = detect(values, prefer)
    declared: tuple[str, Message] | None = None
    notes: list[Message] = []
    if cpg is not None:
        raw = cpg.read_bytes()[:200].decode("ascii", errors="replace")
        cpg_codec = parse_cpg(raw)
        if cpg_codec:
            declared = (cpg_codec, Message(_("the .cpg file says %(cpg)s"),
                                           cpg=repr(raw.strip())))
        else:
            notes.append(Message(_("the .cpg file's %(cpg)s names no known encoding"),
                                 cpg=repr(raw.strip())))
    if declared is None and ldid in LDID_CODEPAGES:
        declared = (LDID_CODEPAGES[ldid],
                    Message(_("the DBF language driver byte %(byte)s says %(codec)s"),
                            byte=f"0x{ldid:02X}", codec=LDID_CODEPAGES[ldid]))
    if not values:
        if declared:
            return EncodingChoice(declared[0], Message(_("%(said)s (the text is plain ASCII)"),
                                                       said=declared[1]))
        return EncodingChoice("utf-8", Message(_("the text is plain ASCII")))
    if declared:
        codec, said = declared
        try:
            text = b"\n".join(values).decode(codec)
        except UnicodeDecodeError:
            return EncodingChoice(detected, Message(
                _("%(said)s, but the text is not valid %(codec)s; %(why)s"), said=said,
                codec=codec, why=why))
        if codec != detected and detected != "utf-8" and (
                _score(b"\n".join(values).decode(detected), detected) > _score(text, codec) + 2):
            return EncodingChoice(detected, Message(_("%(said)s, but %(why)s"), said=said,
                                                    why=why))
        return EncodingChoice(codec, said)
    if ldid not in (0, 0x57):
        notes.append(Message(_("unknown LDID %(byte)s"), byte=f"0x{ldid:02X}"))
    reason = Message(_("no .cpg and no code page in the DBF header; %(why)s"), why=why)
    return EncodingChoice(detected, Message.join([*notes, reason]))
