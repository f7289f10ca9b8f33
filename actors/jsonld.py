"""A listing as schema.org JSON-LD (what search engines and assistants read of a page)."""

from __future__ import annotations

from typing import Any

from actors.models import Listing
from actors.vocabulary import ListingType

SCHEMA_TYPES = {
    ListingType.ACCOMMODATION: "LodgingBusiness",
    ListingType.FOOD: "FoodEstablishment",
    ListingType.GUIDE: "LocalBusiness",
    ListingType.EXPERIENCE: "TouristTrip",
    ListingType.PRODUCT: "Store",
    ListingType.RENTAL: "AutoRental",
    ListingType.INFORMATION: "TouristInformationCenter",
    ListingType.EVENT: "Event",
}


def listing_jsonld(listing: Listing, *, name: str, description: str, url: str,
                   image: str | None) -> dict[str, Any]:
    kind = SCHEMA_TYPES.get(ListingType(listing.type), "LocalBusiness")
    lon, lat = listing.location.coords
    place: dict[str, Any] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "name": name,
                            "url": url}
    if description:
        data["description"] = description
    if image:
        data["image"] = image
    address = {"@type": "PostalAddress", "addressCountry": listing.partner.country}
    if listing.address:
        address["streetAddress"] = listing.address
    if kind == "Event":
        data["location"] = {"@type": "Place", "geo": place, "address": address}
        if listing.starts_on:
            data["startDate"] = listing.starts_on.isoformat()
        if listing.ends_on:
            data["endDate"] = listing.ends_on.isoformat()
    elif kind == "TouristTrip":
        data["provider"] = {"@type": "Organization", "name": name}
    else:
        data["geo"] = place
        data["address"] = address
        if listing.opening_hours:
            # schema.org's openingHours takes "Mo-Fr 09:00-17:00", OSM's simplest form.
            data["openingHours"] = listing.opening_hours
        if listing.phone:
            data["telephone"] = listing.phone
        if listing.email:
            data["email"] = listing.email
    if listing.price_from is not None:
        data["offers"] = {"@type": "Offer", "price": str(listing.price_from),
                          "priceCurrency": listing.currency}
    if listing.wheelchair:
        data["amenityFeature"] = {"@type": "LocationFeatureSpecification",
                                  "name": "wheelchair", "value": listing.wheelchair}
    if listing.languages:
        data["knowsLanguage"] = list(listing.languages)
    if listing.booking_url:
        data["potentialAction"] = {"@type": "ReserveAction", "target": listing.booking_url}
    return data
