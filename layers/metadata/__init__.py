"""Layers' metadata records (Interfaces, item 6): one per layer, read each time from what
the platform knows and from what its partner wrote (``LayerMetadata``).

- ``records``: the record of a layer, and the catalogue's search (``q``, ``bbox``);
- ``lineage``: the layer's history, which the importers register (``register_lineage``);
- ``links``: the addresses a record gives (its layer's collection, page, exports);
- ``dcat``: DCAT-AP JSON-LD; ``iso19139``: ISO 19139 XML;
- ``admin``: where the partner's editors and moderators write their part.

The OGC API – Records endpoints that serve them are ``layers/ogc/records.py``.
"""
