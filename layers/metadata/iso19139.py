"""ISO 19115 metadata in ISO 19139 XML (gmd/gco), with lxml.

pygeometa writes ISO 19139 too, but from one main language and at most one other: a
record here is in four equal languages, which PT_FreeText carries (decision 0021).
Every text of the record is given in the partner's main language (``gco:CharacterString``)
and in the four languages (``gmd:PT_FreeText``, one ``gmd:locale`` each)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from geo.i18n import LANGUAGE_CODES
from layers.metadata.dcat import provenance
from layers.metadata.links import Links
from layers.metadata.records import Record

GMD = "http://www.isotc211.org/2005/gmd"
GCO = "http://www.isotc211.org/2005/gco"
GML = "http://www.opengis.net/gml"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"gmd": GMD, "gco": GCO, "gml": GML, "xlink": XLINK, "xsi": XSI}
SCHEMA_LOCATION = f"{GMD} http://schemas.opengis.net/iso/19139/20070417/gmd/gmd.xsd"
CODE_LISTS = ("http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#")
ISO_639_2 = {"bg": "bul", "el": "gre", "fr": "fre", "en": "eng"}
MEDIA_TYPE = "application/vnd.iso.19139+xml"


def _el(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}")
    for key, value in attrs.items():
        if ":" in key:
            p, n = key.split(":")
            element.set(f"{{{NSMAP[p]}}}{n}", value)
        else:
            element.set(key, value)
    if text is not None:
        element.text = text
    return element


def _string(parent: Any, tag: str, text: str) -> Any:
    holder = _el(parent, tag)
    _el(holder, "gco:CharacterString", text)
    return holder


def _free_text(parent: Any, tag: str, texts: dict[str, str], main: str) -> Any:
    """A text in the main language, with every language's as PT_FreeText."""
    first = texts.get(main) or next((texts[c] for c in LANGUAGE_CODES if texts.get(c)), "")
    holder = _el(parent, tag, **{"xsi:type": "gmd:PT_FreeText_PropertyType"})
    _el(holder, "gco:CharacterString", first)
    free = _el(holder, "gmd:PT_FreeText")
    for code in LANGUAGE_CODES:
        if texts.get(code):
            group = _el(free, "gmd:textGroup")
            _el(group, "gmd:LocalisedCharacterString", texts[code], locale=f"#locale-{code}")
    return holder


def _code(parent: Any, tag: str, code_list: str, value: str) -> Any:
    holder = _el(parent, tag)
    _el(holder, f"gmd:{code_list}", value, codeList=CODE_LISTS + code_list,
        codeListValue=value)
    return holder


def _language(parent: Any, tag: str, lang: str) -> None:
    holder = _el(parent, tag)
    _el(holder, "gmd:LanguageCode", ISO_639_2[lang],
        codeList="http://www.loc.gov/standards/iso639-2/", codeListValue=ISO_639_2[lang])


def _date(parent: Any, tag: str, when: Any, kind: str) -> None:
    holder = _el(_el(parent, tag), "gmd:CI_Date")
    _el(_el(holder, "gmd:date"), "gco:DateTime", when.isoformat(timespec="seconds"))
    _code(holder, "gmd:dateType", "CI_DateTypeCode", kind)


def _contact(parent: Any, tag: str, record: Record, main: str) -> None:
    party = _el(_el(parent, tag), "gmd:CI_ResponsibleParty")
    if record.contact_name:
        _string(party, "gmd:individualName", record.contact_name)
    _free_text(party, "gmd:organisationName", record.partner_names or {main: record.partner},
               main)
    info = _el(_el(party, "gmd:contactInfo"), "gmd:CI_Contact")
    if record.contact_email:
        address = _el(_el(info, "gmd:address"), "gmd:CI_Address")
        _string(address, "gmd:electronicMailAddress", record.contact_email)
    if record.partner_website:
        resource = _el(_el(info, "gmd:onlineResource"), "gmd:CI_OnlineResource")
        _el(_el(resource, "gmd:linkage"), "gmd:URL", record.partner_website)
    _code(party, "gmd:role", "CI_RoleCode", "pointOfContact")


def _online(parent: Any, url: str, protocol: str, name: str) -> None:
    resource = _el(_el(parent, "gmd:onLine"), "gmd:CI_OnlineResource")
    _el(_el(resource, "gmd:linkage"), "gmd:URL", url)
    _string(resource, "gmd:protocol", protocol)
    _string(resource, "gmd:name", name)


def document(record: Record, links: Links) -> bytes:
    """The record as an ISO 19139 ``gmd:MD_Metadata`` document (UTF-8 bytes)."""
    main = next((c for c in record.languages if c in ISO_639_2), "en")
    root = etree.Element(f"{{{GMD}}}MD_Metadata", nsmap=NSMAP)
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    _string(root, "gmd:fileIdentifier", f"regional-tourism-atlas:layer:{record.slug}")
    _language(root, "gmd:language", main)
    _code(root, "gmd:characterSet", "MD_CharacterSetCode", "utf8")
    _code(root, "gmd:hierarchyLevel", "MD_ScopeCode", "dataset")
    _contact(root, "gmd:contact", record, main)
    _el(_el(root, "gmd:dateStamp"), "gco:DateTime", record.updated.isoformat(timespec="seconds"))
    _string(root, "gmd:metadataStandardName", "ISO 19115:2003/19139")
    _string(root, "gmd:metadataStandardVersion", "1.0")
    # The languages PT_FreeText's texts refer to (``#locale-bg`` …).
    for code in LANGUAGE_CODES:
        locale = _el(_el(root, "gmd:locale"), "gmd:PT_Locale", id=f"locale-{code}")
        _language(locale, "gmd:languageCode", code)
        _code(locale, "gmd:characterEncoding", "MD_CharacterSetCode", "utf8")
    # Vector data: its geometries' kind and how many there are.
    vector = _el(_el(root, "gmd:spatialRepresentationInfo"), "gmd:MD_VectorSpatialRepresentation")
    objects = _el(_el(vector, "gmd:geometricObjects"), "gmd:MD_GeometricObjects")
    _code(objects, "gmd:geometricObjectType", "MD_GeometricObjectTypeCode",
          "point" if record.feature_kind == "attraction" else "curve")
    _el(_el(objects, "gmd:geometricObjectCount"), "gco:Integer", str(record.feature_count))
    for uri in links.crs:
        rs = _el(_el(_el(root, "gmd:referenceSystemInfo"), "gmd:MD_ReferenceSystem"),
                 "gmd:referenceSystemIdentifier")
        identifier = _el(rs, "gmd:RS_Identifier")
        _string(identifier, "gmd:code", uri)

    ident = _el(_el(root, "gmd:identificationInfo"), "gmd:MD_DataIdentification")
    citation = _el(_el(ident, "gmd:citation"), "gmd:CI_Citation")
    _free_text(citation, "gmd:title", record.titles or {main: record.slug}, main)
    _date(citation, "gmd:date", record.created, "creation")
    _date(citation, "gmd:date", record.updated, "revision")
    identifier = _el(_el(citation, "gmd:identifier"), "gmd:MD_Identifier")
    _string(identifier, "gmd:code", links.record(record.slug))
    _free_text(ident, "gmd:abstract", record.abstracts or {main: record.title(main)}, main)
    _contact(ident, "gmd:pointOfContact", record, main)
    maintenance = _el(_el(ident, "gmd:resourceMaintenance"), "gmd:MD_MaintenanceInformation")
    _code(maintenance, "gmd:maintenanceAndUpdateFrequency", "MD_MaintenanceFrequencyCode",
          record.update_frequency)
    if record.keywords:
        words = _el(_el(ident, "gmd:descriptiveKeywords"), "gmd:MD_Keywords")
        for _lang, word in record.all_keywords():
            _string(words, "gmd:keyword", word)
    constraints = _el(_el(ident, "gmd:resourceConstraints"), "gmd:MD_LegalConstraints")
    _code(constraints, "gmd:useConstraints", "MD_RestrictionCode", "otherRestrictions")
    licence_url = links.licence(record.licence)
    _string(constraints, "gmd:otherConstraints",
            (f"{record.licence} ({licence_url})" if licence_url else record.licence)
            or "Licence not stated")
    _code(ident, "gmd:spatialRepresentationType", "MD_SpatialRepresentationTypeCode", "vector")
    for code in record.languages or [main]:
        if code in ISO_639_2:
            _language(ident, "gmd:language", code)
    _code(ident, "gmd:characterSet", "MD_CharacterSetCode", "utf8")
    _el(_el(ident, "gmd:topicCategory"), "gmd:MD_TopicCategoryCode", "location")
    extent = _el(_el(ident, "gmd:extent"), "gmd:EX_Extent")
    if record.bbox:
        box = _el(_el(extent, "gmd:geographicElement"), "gmd:EX_GeographicBoundingBox")
        for tag, value in zip(("westBoundLongitude", "eastBoundLongitude",
                               "southBoundLatitude", "northBoundLatitude"),
                              (record.bbox[0], record.bbox[2], record.bbox[1], record.bbox[3]),
                              strict=True):
            _el(_el(box, f"gmd:{tag}"), "gco:Decimal", f"{value}")
    if record.first_feature:
        temporal = _el(_el(_el(extent, "gmd:temporalElement"), "gmd:EX_TemporalExtent"),
                       "gmd:extent")
        period = _el(temporal, "gml:TimePeriod", **{"gml:id": f"period-{record.slug}"})
        _el(period, "gml:beginPosition", record.first_feature.isoformat(timespec="seconds"))
        _el(period, "gml:endPosition", record.updated.isoformat(timespec="seconds"))
    _string(ident, "gmd:supplementalInformation",
            f"{record.feature_count} features; layer page: {links.page(record.slug)}")

    distribution = _el(_el(root, "gmd:distributionInfo"), "gmd:MD_Distribution")
    downloads = links.downloads(record.slug)
    for d in downloads:
        fmt = _el(_el(distribution, "gmd:distributionFormat"), "gmd:MD_Format")
        _string(fmt, "gmd:name", d.name)
        _el(fmt, "gmd:version", **{"gco:nilReason": "unknown"})
    options = _el(_el(distribution, "gmd:transferOptions"), "gmd:MD_DigitalTransferOptions")
    for d in downloads:
        _online(options, d.url, "WWW:DOWNLOAD-1.0-http--download", d.name)
    _online(options, links.collection(record.slug), "OGC:API-Features", "OGC API – Features")

    quality = _el(_el(root, "gmd:dataQualityInfo"), "gmd:DQ_DataQuality")
    scope = _el(_el(quality, "gmd:scope"), "gmd:DQ_Scope")
    _code(scope, "gmd:level", "MD_ScopeCode", "dataset")
    lineage = _el(_el(quality, "gmd:lineage"), "gmd:LI_Lineage")
    _string(lineage, "gmd:statement", provenance(record))
    for step in record.lineage:
        process = _el(_el(lineage, "gmd:processStep"), "gmd:LI_ProcessStep")
        _string(process, "gmd:description", step.statement())
        _el(_el(process, "gmd:dateTime"), "gco:DateTime", step.when.isoformat(timespec="seconds"))

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
