/* "Follow" on a route: where the user is along the line, how far the next stop is, and
   whether they have left the route. Pure functions, computed on the device (no position
   leaves the phone); the same file runs in the page (window.AtlasFollow) and in node
   (tests/js/follow.test.js).

   Distances: along the line, the sum of its segments on the sphere (haversine, mean Earth
   radius); off the line, the distance to the nearest segment in a plane tangent at the
   user's position (equirectangular), which is within a few centimetres of the spheroid's
   over the few hundred metres that matter for "off the route". */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.AtlasFollow = factory();
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var R = 6371008.8; // mean Earth radius, metres
  var RAD = Math.PI / 180;
  var OFF_ROUTE_M = 100;
  // A stop counts as passed once the user is this close to it along the line: GPS noise
  // would otherwise keep naming a stop the user is standing at.
  var AT_STOP_M = 30;

  function haversine(a, b) {
    var dlat = (b[1] - a[1]) * RAD, dlon = (b[0] - a[0]) * RAD;
    var h = Math.sin(dlat / 2) * Math.sin(dlat / 2) +
      Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dlon / 2) * Math.sin(dlon / 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /* The route as one line: `lines` are GeoJSON coordinates of a LineString or a
     MultiLineString (a line per leg, in order); `stops` [{order, name, location}]. */
  function prepare(lines, stops) {
    if (lines.length && typeof lines[0][0] === "number") lines = [lines];
    var pts = [];
    lines.forEach(function (line) {
      line.forEach(function (c) {
        var p = [c[0], c[1]];
        var last = pts[pts.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
      });
    });
    var cum = [0];
    for (var i = 1; i < pts.length; i++) cum.push(cum[i - 1] + haversine(pts[i - 1], pts[i]));
    var track = { pts: pts, cum: cum, length_m: cum[cum.length - 1] || 0, stops: [] };
    var hint = 0;
    track.stops = (stops || []).map(function (s) {
      // Stops are met in order: each is placed at or after the one before, so that a
      // loop's last stop (at the start) is placed at the end.
      var at = locate(track, s.location[0], s.location[1], hint, true);
      hint = at.along_m;
      return { order: s.order, name: s.name, along_m: at.along_m };
    });
    return track;
  }

  // The nearest point of segment a-b to the origin, in a plane where x, y are metres.
  function nearestOnSegment(ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    var t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
    var x = ax + t * dx, y = ay + t * dy;
    return { t: t, d: Math.sqrt(x * x + y * y) };
  }

  /* Where (lon, lat) is against the route: `off_m` its distance to the line, `along_m`
     the distance along the line to the nearest point. `hint` (metres along) prefers,
     among places nearly as near, the one closest to where the user was (a loop passes
     twice by its start); `onlyAfter` looks only from `hint` on. */
  function locate(track, lon, lat, hint, onlyAfter) {
    var kx = Math.cos(lat * RAD) * R * RAD, ky = R * RAD;
    var best = null;
    for (var i = 1; i < track.pts.length; i++) {
      if (onlyAfter && track.cum[i] < hint) continue;
      var a = track.pts[i - 1], b = track.pts[i];
      var n = nearestOnSegment((a[0] - lon) * kx, (a[1] - lat) * ky,
        (b[0] - lon) * kx, (b[1] - lat) * ky);
      var along = track.cum[i - 1] + n.t * (track.cum[i] - track.cum[i - 1]);
      var candidate = { off_m: n.d, along_m: along };
      var nearer = best === null || (hint === undefined
        ? candidate.off_m < best.off_m
        : candidate.off_m < best.off_m - 5 || (candidate.off_m < best.off_m + 5 &&
          Math.abs(along - hint) < Math.abs(best.along_m - hint)));
      if (nearer) {
        best = candidate;
      }
    }
    if (best === null) {
      var p = track.pts[0] || [lon, lat];
      best = { off_m: haversine(p, [lon, lat]), along_m: 0 };
    }
    return best;
  }

  /* Everything the follow panel shows, for a position (and the previous along_m). */
  function status(track, lon, lat, hint) {
    var at = locate(track, lon, lat, hint);
    var next = null;
    for (var i = 0; i < track.stops.length; i++) {
      var s = track.stops[i];
      if (s.along_m > at.along_m + AT_STOP_M) {
        next = { order: s.order, name: s.name, distance_m: s.along_m - at.along_m };
        break;
      }
    }
    return {
      along_m: at.along_m, off_m: at.off_m, off_route: at.off_m > OFF_ROUTE_M,
      remaining_m: Math.max(0, track.length_m - at.along_m), next: next,
    };
  }

  return { prepare: prepare, locate: locate, status: status, haversine: haversine,
    OFF_ROUTE_M: OFF_ROUTE_M, AT_STOP_M: AT_STOP_M };
}));
