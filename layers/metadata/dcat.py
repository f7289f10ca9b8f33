"""DCAT-AP (2.1 / GeoDCAT-AP) as JSON-LD: a record as a ``dcat:Dataset`` with one
``dcat:Distribution`` per export format and the OGC API collection, and the catalogue
as a ``dcat:Catalog`` of them."""

from __future__ import annotations

from typing import Any

from geo.i18n import LANGUAGE_CODES
from layers.metadata.links import Links
from layers.metadata.records import Record

JSONLD = "application/ld+json"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "locn": "http://www.w3.org/ns/locn#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
}
EU = "http://publications.europa.eu/resource/authority/"
# ISO 19115's maintenance frequency -> the EU's frequency vocabulary (DCAT-AP's range).
FREQUENCY = {"continual": "UPDATE_CONT", "daily": "DAILY", "weekly": "WEEKLY",
             "fortnightly": "BIWEEKLY", "monthly": "MONTHLY", "quarterly": "QUARTERLY",
             "biannually": "ANNUAL_2", "annually": "ANNUAL", "asNeeded": "IRREG",
             "irregular": "IRREG", "notPlanned": "NEVER", "unknown": "UNKNOWN"}
LANGUAGE = {"bg": "BUL", "el": "ELL", "fr": "FRA", "en": "ENG"}
FILE_TYPE = {"geojson": "GEOJSON", "gpx": "GPX", "kml": "KML", "shp": "SHP",
             "gpkg": "GPKG", "csv": "CSV", "fgb": "FLATGEOBUF", "parquet": "PARQUET"}


def _literals(texts: dict[str, str]) -> list[dict[str, str]]:
    return [{"@value": texts[c], "@language": c} for c in LANGUAGE_CODES if texts.get(c)]


def _when(value: Any) -> dict[str, str]:
    return {"@value": value.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}


def dataset(record: Record, links: Links) -> dict[str, Any]:
    """The record as a ``dcat:Dataset`` (without ``@context``)."""
    licence_url = links.licence(record.licence)
    licence: dict[str, Any] | None = (
        {"@id": licence_url, "@type": "dct:LicenseDocument", "rdfs:label": record.licence}
        if licence_url else
        {"@type": "dct:LicenseDocument", "rdfs:label": record.licence}
        if record.licence else None)
    publisher: dict[str, Any] = {"@type": "foaf:Agent",
                                 "foaf:name": _literals(record.partner_names) or record.partner}
    if record.partner_website:
        publisher["foaf:homepage"] = {"@id": record.partner_website}
    contact: dict[str, Any] = {"@type": "vcard:Organization",
                               "vcard:fn": record.contact_name or record.partner_name("en"),
                               "vcard:organization-name": record.partner_name("en")}
    if record.contact_email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{record.contact_email}"}
    if record.partner_website:
        contact["vcard:hasURL"] = {"@id": record.partner_website}
    distributions = []
    for d in links.downloads(record.slug):
        dist: dict[str, Any] = {
            "@type": "dcat:Distribution", "dct:title": d.name,
            "dcat:accessURL": {"@id": d.url}, "dcat:downloadURL": {"@id": d.url},
            "dcat:mediaType": {"@id": f"http://www.iana.org/assignments/media-types/"
                                      f"{d.media_type}"},
            "dct:format": {"@id": f"{EU}file-type/{FILE_TYPE.get(d.format, d.format.upper())}"},
        }
        if licence:
            dist["dct:license"] = licence
        distributions.append(dist)
    service = {"@type": "dcat:Distribution", "dct:title": "OGC API – Features",
               "dcat:accessURL": {"@id": links.collection(record.slug)},
               "dct:conformsTo": {"@id": "http://www.opengis.net/spec/ogcapi-features-1/1.0"},
               "dcat:mediaType": {"@id": "http://www.iana.org/assignments/media-types/"
                                         "application/geo+json"}}
    if licence:
        service["dct:license"] = licence
    distributions.append(service)
    out: dict[str, Any] = {
        "@id": links.record(record.slug),
        "@type": "dcat:Dataset",
        "dct:identifier": record.slug,
        "dct:title": _literals(record.titles) or record.slug,
        "dct:description": _literals(record.abstracts),
        "dcat:keyword": [{"@value": w, "@language": c} for c, w in record.all_keywords()],
        "dct:publisher": publisher,
        "dcat:contactPoint": contact,
        "dct:language": [{"@id": f"{EU}language/{LANGUAGE[c]}"} for c in record.languages
                         if c in LANGUAGE],
        "dct:issued": _when(record.created),
        "dct:modified": _when(record.updated),
        "dct:accrualPeriodicity": {
            "@id": f"{EU}frequency/{FREQUENCY.get(record.update_frequency, 'UNKNOWN')}"},
        # GeoDCAT-AP: the reference systems the data is offered in.
        "dct:conformsTo": [{"@id": uri} for uri in links.crs],
        "dcat:landingPage": {"@id": links.page(record.slug)},
        "dcat:distribution": distributions,
        "dct:provenance": {"@type": "dct:ProvenanceStatement",
                           "rdfs:label": provenance(record)},
    }
    if licence:
        out["dct:license"] = licence
    if record.bbox:
        west, south, east, north = record.bbox
        out["dct:spatial"] = {"@type": "dct:Location", "dcat:bbox": {
            "@value": f"POLYGON(({west} {south},{east} {south},{east} {north},"
                      f"{west} {north},{west} {south}))", "@type": "gsp:wktLiteral"}}
    if record.first_feature:
        out["dct:temporal"] = {"@type": "dct:PeriodOfTime",
                               "dcat:startDate": _when(record.first_feature),
                               "dcat:endDate": _when(record.updated)}
    return out


def provenance(record: Record) -> str:
    """Where the data comes from: its source, then its imports, newest first."""
    lines = [f"Source: {record.source}"] if record.source else []
    lines += [step.statement() for step in record.lineage]
    return "\n".join(lines) or "Entered on the platform by its partner's editors."


def dataset_document(record: Record, links: Links) -> dict[str, Any]:
    return {"@context": CONTEXT, **dataset(record, links)}


def catalogue_document(records: list[Record], links: Links, *, url: str) -> dict[str, Any]:
    """A page of the catalogue as a ``dcat:Catalog`` (``url``: the page's address)."""
    return {
        "@context": CONTEXT, "@id": url, "@type": "dcat:Catalog",
        "dct:title": {"@value": "Regional Tourism Atlas – layers", "@language": "en"},
        "dct:description": {"@value": "The public layers of the partners of the Regional "
                                      "Tourism Atlas: Stara Zagora, Sliven, Larissa and the "
                                      "Drôme.", "@language": "en"},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": "Regional Tourism Atlas"},
        "dcat:dataset": [dataset(r, links) for r in records],
    }
