/* How features look: each attraction category's icon, trail colours by activity or
 * difficulty, the routes' dashes. Partners' colours are not here: they are the
 * partners' data (Partner.colour, in /api/partners/). */

import { escapeAttr } from "./util.js";

export var ACTIVITY_COLOURS = {
  walking: "#e67e22", hiking: "#a04000", running: "#c0392b", cycling: "#2471a3",
  mountain_biking: "#117864", horse_riding: "#7d6608", cross_country_skiing: "#5b2c6f",
  snowshoeing: "#566573"
};
export var DIFFICULTY_COLOURS = {
  easy: "#27ae60", moderate: "#d4ac0d", hard: "#cb4335", very_hard: "#1b2631", "": "#839192"
};
var ROUTE_COLOUR = "#c2185b";
var PRACTICE_COLOUR = "#7d3c98";
// Maki icon (node_modules/@mapbox/maki) and family of each attraction category.
export var CATEGORY_ICONS = {
  museum: ["museum", "culture"], gallery: ["art-gallery", "culture"],
  attraction: ["attraction", "culture"], viewpoint: ["viewpoint", "leisure"],
  artwork: ["paint", "culture"], theme_park: ["amusement-park", "leisure"],
  zoo: ["zoo", "leisure"], picnic_site: ["picnic-site", "leisure"],
  camp_site: ["campsite", "leisure"], alpine_hut: ["shelter", "leisure"],
  information: ["information", "service"],
  archaeological_site: ["historic", "history"], castle: ["castle", "history"],
  monument: ["monument", "history"], memorial: ["landmark", "history"],
  ruins: ["monument-JP", "history"], monastery: ["place-of-worship", "religion"],
  church: ["religious-christian", "religion"], tomb: ["cemetery", "history"],
  fort: ["castle-JP", "history"], city_gate: ["gate", "history"],
  manor: ["building-alt1", "history"], bridge: ["bridge", "history"],
  peak: ["mountain", "nature"], cave_entrance: ["entrance-alt1", "nature"],
  waterfall: ["waterfall", "water"], spring: ["drinking-water", "water"],
  rock: ["natural", "nature"], gorge: ["triangle-stroked", "nature"],
  hot_spring: ["hot-spring", "water"], valley: ["landuse", "nature"],
  park: ["park", "leisure"], nature_reserve: ["park-alt1", "nature"],
  garden: ["garden", "leisure"], winery: ["alcohol-shop", "wine"]
};

// Maki icon of each type of listing (the services), all of one family.
export var SERVICE_ICONS = {
  accommodation: "lodging", food_drink: "restaurant", guide: "attraction",
  experience: "star", local_product: "shop", rental_transport: "bicycle",
  information: "information", event: "theatre"
};

// A marker: an attraction's category's icon or a listing's type's, named for screen readers.
export function iconFor(atlas, p) {
  var spec, label;
  if (p.kind === "service") {
    spec = [SERVICE_ICONS[p.type] || "marker", "listing"];
    label = atlas.labels.listingTypes[p.type] || p.type;
  } else {
    spec = CATEGORY_ICONS[p.category] || ["marker", "culture"];
    label = atlas.labels.categories[p.category] || p.category;
  }
  return L.divIcon({
    className: "atlas-marker atlas-family-" + spec[1],
    html: '<img src="' + atlas.options.iconBase + spec[0] + '.svg" alt="' + escapeAttr(label)
      + '" width="15" height="15">',
    iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12]
  });
}

// A trail coloured as the legend chooses (activity or difficulty); a route dashed.
export function lineStyle(atlas, p) {
  if (p.kind === "practice") {
    return { color: "#ffffff", weight: 2, fillColor: PRACTICE_COLOUR, fillOpacity: 1,
             className: "atlas-practice" };
  }
  if (p.kind === "route") {
    return { color: ROUTE_COLOUR, weight: 5, opacity: 0.9, dashArray: "10 6",
             className: "atlas-route" };
  }
  var colour = atlas.state.colour === "difficulty"
    ? DIFFICULTY_COLOURS[p.difficulty || ""] : ACTIVITY_COLOURS[p.activity];
  return { color: colour || "#884400", weight: 4, opacity: 0.9,
           className: "atlas-trail atlas-trail-" + (p.activity || "") };
}
