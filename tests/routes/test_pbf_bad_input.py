"""Bad OpenStreetMap files for a partner's network: each refused with a message naming the
file, and the partner's network as it was. The bad files are made here, their PBF
framing written by hand (a 4-byte length, a ``BlobHeader`` and a ``Blob``, protobuf):
decompression bombs, a truncated file, and files that are not PBF at all."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import osmium
import pytest
from django.core.management import CommandError, call_command

from geo.errors import Refused
from routes.models import RoadEdge, RoadNetwork
from routes.osm import network_import, read
from routes.osm.pbf import MAX_BLOB, check
from tests.conftest import SHARED_DATA
from tests.factories import make_partner

pytestmark = pytest.mark.django_db

VALLEY = (9.49, 47.10, 9.56, 47.19)


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number: int, value: int | bytes) -> bytes:
    """A protobuf field: a varint, or bytes with their length."""
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    return varint(number << 3 | 2) + varint(len(value)) + value


def block(kind: bytes, blob: bytes, datasize: int | None = None) -> bytes:
    """A block of a PBF file: the BlobHeader's length, the BlobHeader (type, datasize),
    the Blob."""
    header = field(1, kind) + field(3, len(blob) if datasize is None else datasize)
    return struct.pack(">I", len(header)) + header + blob


def zlib_blob(data: bytes, raw_size: int | None = None) -> bytes:
    """A Blob of zlib data (field 3) and the size it says it inflates to (field 2)."""
    return field(2, len(data) if raw_size is None else raw_size) + field(3, zlib.compress(data))


def zeros_inflating_to(size: int) -> bytes:
    """zlib data that inflates to ``size`` zero bytes (a thousandth of that, deflated)."""
    deflate = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    return b"".join([*(deflate.compress(chunk) for _ in range(size >> 20)), deflate.flush()])


# A valid first block: the HeaderBlock's required features (field 4).
HEADER = block(b"OSMHeader", zlib_blob(field(4, b"OsmSchema-V0.6") + field(4, b"DenseNodes")))


@pytest.fixture
def partner_with_network(db, tmp_path):
    """A partner whose network is one street, imported from a PBF written by pyosmium."""
    partner = make_partner("li-bad-input", bbox=VALLEY, country="LI")
    good = tmp_path / "street.osm.pbf"
    with osmium.SimpleWriter(str(good)) as writer:
        for i, (lon, lat) in enumerate([(9.5209, 47.1410), (9.5095, 47.1650)], start=1):
            writer.add_node(osmium.osm.mutable.Node(id=i, location=(lon, lat)))
        writer.add_way(osmium.osm.mutable.Way(id=7, nodes=[1, 2], tags={"highway": "residential"}))
    network_import(partner=partner, path=good)
    return partner, good


def unchanged(partner) -> tuple:
    """What a user would compare: the network's file, checksum and edges."""
    network = RoadNetwork.objects.get(partner=partner)
    return (network.pk, network.file_name, network.sha256,
            sorted(RoadEdge.objects.filter(network=network).values_list("pk", "way_id")))


def refused(partner, path: Path, message: str) -> None:
    before = unchanged(partner)
    edges = RoadEdge.objects.count()
    with pytest.raises(Refused, match=message) as caught:
        network_import(partner=partner, path=path)
    assert str(caught.value).startswith(path.name)
    assert str(caught.value).endswith("nothing was written")
    assert unchanged(partner) == before and RoadEdge.objects.count() == edges


def test_a_block_declaring_a_gibibyte_once_inflated_is_refused(partner_with_network, tmp_path):
    partner, _good = partner_with_network
    bomb = tmp_path / "bomb.osm.pbf"
    # A kilobyte of zlib data that says it inflates to 1 GiB: refused before inflating.
    bomb.write_bytes(HEADER + block(b"OSMData", field(2, 1 << 30)
                                    + field(3, zlib.compress(b"\0" * 1000))))
    refused(partner, bomb, re.escape(
        "bomb.osm.pbf is refused: its block 2 would take 1,024 MiB, more than the 32 MiB "
        "the PBF format allows a block (a damaged file or a decompression bomb)"))


def test_a_block_that_inflates_far_past_what_it_declares_is_refused(partner_with_network,
                                                                      tmp_path):
    partner, _good = partner_with_network
    bomb = tmp_path / "quiet-bomb.osm.pbf"
    # 64 KiB of zlib data inflating to 64 MiB (twice the format's limit), declared as 1 kB:
    # the framing is honest-looking; the reader stops inflating at the declared size.
    blob = field(2, 1000) + field(3, zeros_inflating_to(2 * MAX_BLOB))
    bomb.write_bytes(HEADER + block(b"OSMData", blob))
    assert check(bomb).blocks == 2
    refused(partner, bomb, re.escape(
        "quiet-bomb.osm.pbf is refused: a block of it does not inflate to the size it "
        "declares (a damaged file or a decompression bomb)"))


def test_a_block_stored_larger_than_the_format_allows_is_refused(partner_with_network,
                                                                 tmp_path):
    partner, _good = partner_with_network
    big = tmp_path / "big.osm.pbf"
    # Its header announces a blob of 1.5 GB (the file ends long before).
    big.write_bytes(HEADER + block(b"OSMData", b"\0" * 100, datasize=1_500_000_000))
    refused(partner, big, re.escape("big.osm.pbf is refused: its block 2 would take 1,431 MiB"))


def test_the_reader_itself_refuses_a_declared_bomb(tmp_path):
    # libosmium keeps the format's caps too: the framing check is not the only guard.
    bomb = tmp_path / "bomb.osm.pbf"
    bomb.write_bytes(HEADER + block(b"OSMData", field(2, 1 << 30)
                                    + field(3, zlib.compress(b"\0" * 1000))))
    with pytest.raises(Refused, match=re.escape("bomb.osm.pbf is not a complete OpenStreetMap "
                                                "PBF file (PBF error: illegal blob size)")):
        read(bomb)


def test_a_truncated_pbf_is_refused_with_the_block_it_ends_in(partner_with_network, tmp_path):
    partner, good = partner_with_network
    cut = tmp_path / "street-cut.osm.pbf"
    cut.write_bytes(good.read_bytes()[:-10])
    refused(partner, cut, re.escape(
        "street-cut.osm.pbf is not a complete OpenStreetMap PBF file: it ends inside block"))


@pytest.mark.parametrize(("name", "what", "says"), [
    ("route.osm.pbf", "gpx", " (by its first bytes: XML (an .osm file?))"),
    ("extract.osm.pbf", "zip", " (by its first bytes: a ZIP archive)"),
    ("empty.osm.pbf", "empty", ": it does not begin with a PBF header block"),
    ("data.osm.pbf", "data-first", ": it does not begin with a PBF header block"),
    ("noise.osm.pbf", "noise", ": it does not begin with a PBF header block"),
])
def test_a_file_that_is_not_a_pbf_is_refused_by_name(partner_with_network, tmp_path, name,
                                                     what, says):
    partner, good = partner_with_network
    path = tmp_path / name
    if what == "gpx":
        path.write_bytes((SHARED_DATA / "real" / "gpx" / "gpxpy" / "route.gpx").read_bytes())
    elif what == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.write(good, "street.osm.pbf")
    elif what == "empty":
        path.write_bytes(b"")
    elif what == "data-first":  # a PBF's data block without its header block
        path.write_bytes(block(b"OSMData", zlib_blob(b"\0" * 10)))
    else:
        path.write_bytes(bytes(range(7, 250)) * 20)
    refused(partner, path, re.escape(f"{name} is not an OpenStreetMap PBF file{says}"))


def test_the_command_names_the_file_of_a_bomb(partner_with_network, tmp_path):
    partner, _good = partner_with_network
    bomb = tmp_path / "bomb.osm.pbf"
    bomb.write_bytes(HEADER + block(b"OSMData", zlib_blob(b"\0" * 1000, raw_size=1 << 30)))
    before = unchanged(partner)
    with pytest.raises(CommandError, match=r"refused: bomb\.osm\.pbf is refused: its block 2 "
                                           r"would take 1,024 MiB"):
        call_command("import_osm", str(bomb), partner=partner.slug)
    assert unchanged(partner) == before


@pytest.mark.parametrize(("lang", "says"), [
    ("fr", "bomb.osm.pbf est refusé : son bloc 2 occuperait 1 024 Mio"),
    ("bg", "bomb.osm.pbf е отхвърлен: блок 2 би заел 1024 MiB"),  # Django groups no digits in bg
    ("el", "το bomb.osm.pbf απορρίπτεται: το μπλοκ του 2 θα καταλάμβανε 1.024 MiB"),
])
def test_a_bomb_is_refused_in_the_readers_language(tmp_path, lang, says):
    from django.utils import translation

    bomb = tmp_path / "bomb.osm.pbf"
    bomb.write_bytes(HEADER + block(b"OSMData", zlib_blob(b"\0" * 1000, raw_size=1 << 30)))
    with translation.override(lang), pytest.raises(Refused) as caught:
        check(bomb)
    assert str(caught.value).replace("\xa0", " ").startswith(says)
