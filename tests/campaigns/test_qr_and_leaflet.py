"""QR codes of routes, attractions and practices, decoded by zbar (pyzbar) to the page's
absolute address; and a route's A5 leaflet with its code, in four languages."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image
from pyzbar.pyzbar import decode
from weasyprint import CSS, HTML

from maps.leaflet_pdf import NoFetching
from maps.pages.campaigns import route_sketch


def decoded(response) -> str:
    assert response["Content-Type"] == "image/png"
    found = decode(Image.open(io.BytesIO(response.content)))
    assert len(found) == 1 and found[0].type == "QRCODE"
    return found[0].data.decode()


def test_a_routes_qr_code_decodes_to_the_routes_address(world, client):
    assert decoded(client.get("/routes/blue-rocks-walk/qr.png")) == \
        "http://testserver/routes/blue-rocks-walk/"
    assert decoded(client.get("/routes/blue-rocks-walk/qr.png?lang=el")) == \
        "http://testserver/routes/blue-rocks-walk/?lang=el"
    # The address of the site as its visitors reach it, not the server's own.
    assert decoded(client.get("/routes/blue-rocks-walk/qr.png",
                              HTTP_HOST="localhost")) == "http://localhost/routes/blue-rocks-walk/"


def test_attraction_and_practice_codes_decode_to_their_pages(world, client):
    assert decoded(client.get(f"/attractions/{world.rocks.uid}/qr.png")) == \
        f"http://testserver/attractions/{world.rocks.uid}/"
    assert decoded(client.get(f"/practices/{world.practice.uid}/qr.png")) == \
        f"http://testserver/practices/{world.practice.uid}/"


def test_the_svg_code_is_an_svg_image_to_print(world, client):
    response = client.get("/routes/blue-rocks-walk/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.lstrip().startswith("<?xml") and "<svg" in body and "<path" in body


@pytest.mark.parametrize("url", ["/routes/secret-draft/qr.png", "/routes/none/qr.png",
                                 "/routes/blue-rocks-walk/qr.gif"])
def test_no_code_for_what_is_not_public_or_not_a_format(world, client, url):
    assert client.get(url).status_code == 404


def test_pages_link_their_codes_and_the_leaflet(world, client):
    html = client.get("/routes/blue-rocks-walk/?lang=fr").content.decode()
    assert "/routes/blue-rocks-walk/qr.svg" in html and "/routes/blue-rocks-walk/qr.png" in html
    assert "/routes/blue-rocks-walk/leaflet/?lang=fr" in html
    assert f"/attractions/{world.rocks.uid}/qr.png" in client.get(
        f"/attractions/{world.rocks.uid}/").content.decode()
    assert f"/practices/{world.practice.uid}/qr.png" in client.get(
        f"/practices/{world.practice.uid}/").content.decode()


@pytest.mark.parametrize(("lang", "title", "words"), [
    ("bg", "Към Сините камъни", "Спирки"), ("el", "To the Blue Rocks", "Στάσεις"),
    ("fr", "To the Blue Rocks", "Étapes"), ("en", "To the Blue Rocks", "Stops")])
def test_the_leaflet_is_one_a5_page_with_the_code_in_each_language(world, client, lang,
                                                                    title, words):
    html = client.get(f"/routes/blue-rocks-walk/leaflet/?lang={lang}").content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html and words in html
    assert "<svg" in html and 'class="qr"' in html
    assert f"http://testserver/routes/blue-rocks-walk/?lang={lang}" in html
    assert "campaigns/leaflet.css" in html
    assert "size: A5 portrait" in Path(finders.find("campaigns/leaflet.css")).read_text()
    # Both stops, numbered on the sketch, named in the list.
    rocks = "Сините камъни" if lang == "bg" else "Blue Rocks"
    assert re.findall(r"<li>([^<]+)</li>", html) == ["Sliven Museum", rocks]
    assert len(re.findall(r"<circle ", html)) == 2


def test_the_sketch_keeps_the_routes_shape_inside_its_box():
    sketch = route_sketch({"type": "MultiLineString",
                           "coordinates": [[[26.0, 42.0], [26.1, 42.0], [26.1, 42.1]]]},
                          [{"order": 1, "location": [26.0, 42.0]},
                           {"order": 2, "location": [26.1, 42.1]}])
    xs = [s["x"] for s in sketch["stops"]]
    ys = [s["y"] for s in sketch["stops"]]
    assert all(0 <= x <= sketch["width"] for x in xs)
    assert all(0 <= y <= sketch["height"] for y in ys)
    assert ys[1] < ys[0]  # north is up
    assert [s["n"] for s in sketch["stops"]] == [1, 2]
    # Centred: as much room left of the drawing as right of it.
    assert xs[0] - 0 == pytest.approx(sketch["width"] - xs[1], abs=0.2)


def test_the_leaflet_as_pdf_is_one_a5_page(world, client):
    response = client.get("/routes/blue-rocks-walk/leaflet.pdf?lang=bg")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="blue-rocks-walk-bg.pdf"' in response["Content-Disposition"]
    # Rendered again from the page the PDF was made of, to count its pages and measure
    # them: A5 is 148 × 210 mm, 559.4 × 793.7 CSS pixels.
    html = client.get("/routes/blue-rocks-walk/leaflet/?lang=bg").content.decode()
    css = CSS(filename=finders.find("campaigns/leaflet.css"))
    pages = HTML(string=html, url_fetcher=NoFetching()).render(stylesheets=[css]).pages
    assert len(pages) == 1
    assert (round(pages[0].width / 96 * 25.4), round(pages[0].height / 96 * 25.4)) == (148, 210)
    assert client.get("/routes/secret-draft/leaflet.pdf").status_code == 404
