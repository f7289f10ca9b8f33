/* The follow maths (maps/static/offline/follow.js), run by node's own test runner:
   `node --test tests/js/` (tests/maps/test_follow_js.py runs it in the suite). Expected
   values are worked out here by hand on the sphere, not by the module's functions. */
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const F = require("../../maps/static/offline/follow.js");

const R = 6371008.8;
const M_PER_DEG_LAT = R * Math.PI / 180; // 111,195 m along a meridian
// A route 3 km due north along the meridian 25.6° E from 42.40° N, stops at 0, 1.5 and 3 km.
const LON = 25.6, LAT0 = 42.4;
const north = (m) => LAT0 + m / M_PER_DEG_LAT;
const line = [[LON, north(0), 410], [LON, north(1000)], [LON, north(3000)]];
const stops = [
  { order: 1, name: "Start", location: [LON, north(0)] },
  { order: 2, name: "Spring", location: [LON, north(1500)] },
  { order: 3, name: "Hut", location: [LON, north(3000)] },
];
// Metres east at latitude lat as degrees of longitude.
const east = (m, lat) => m / (M_PER_DEG_LAT * Math.cos(lat * Math.PI / 180));

test("the line's length is the sum of its segments on the sphere", () => {
  const t = F.prepare(line, stops);
  assert.ok(Math.abs(t.length_m - 3000) < 0.01, t.length_m);
  assert.deepStrictEqual(t.stops.map((s) => Math.round(s.along_m)), [0, 1500, 3000]);
});

test("the distance to the next stop is measured along the route", () => {
  const t = F.prepare(line, stops);
  const s = F.status(t, LON, north(400));
  assert.strictEqual(s.next.name, "Spring");
  assert.ok(Math.abs(s.next.distance_m - 1100) < 0.5, s.next.distance_m);
  assert.ok(Math.abs(s.remaining_m - 2600) < 0.5);
  assert.strictEqual(s.off_route, false);
});

test("a stop the user stands at is passed: the next one is named", () => {
  const t = F.prepare(line, stops);
  const s = F.status(t, LON, north(1490));
  assert.strictEqual(s.next.name, "Hut");
  assert.ok(Math.abs(s.next.distance_m - 1510) < 0.5);
});

test("99 m beside the route is on it, 101 m is off it", () => {
  const t = F.prepare(line, stops);
  const lat = north(2000);
  const near = F.status(t, LON + east(99, lat), lat);
  const far = F.status(t, LON - east(101, lat), lat);
  assert.ok(Math.abs(near.off_m - 99) < 0.2, near.off_m);
  assert.strictEqual(near.off_route, false);
  assert.ok(Math.abs(far.off_m - 101) < 0.2, far.off_m);
  assert.strictEqual(far.off_route, true);
  assert.ok(Math.abs(far.along_m - 2000) < 0.5, "projected beside where the user stands");
});

test("past the end, the distance off is to the last point and no stop is next", () => {
  const t = F.prepare(line, stops);
  const s = F.status(t, LON, north(3250));
  assert.ok(Math.abs(s.off_m - 250) < 0.5, s.off_m);
  assert.strictEqual(s.off_route, true);
  assert.strictEqual(s.next, null);
  assert.strictEqual(s.remaining_m, 0);
});

test("on a loop, the user's previous place decides which pass they are on", () => {
  // Out 1 km north along one side, 200 m east, back south: the start and end 200 m apart;
  // a position near the start is at 0 m at first, and near the end once walked there.
  const lat1 = north(1000);
  const loop = [[LON, north(0)], [LON, lat1], [LON + east(200, lat1), lat1],
    [LON + east(200, LAT0), north(0)], [LON + east(1, LAT0), north(0)]];
  const t = F.prepare(loop, []);
  const here = [LON + east(2, LAT0), north(0)];
  assert.ok(F.status(t, here[0], here[1], 0).along_m < 5);
  assert.ok(F.status(t, here[0], here[1], t.length_m - 10).along_m > t.length_m - 5);
});

test("a MultiLineString's legs make one line, in order", () => {
  const legs = [[[LON, north(0)], [LON, north(1000)]], [[LON, north(1000)], [LON, north(2000)]]];
  const t = F.prepare(legs, []);
  assert.ok(Math.abs(t.length_m - 2000) < 0.01);
  assert.strictEqual(t.pts.length, 3, "the shared point is kept once");
});
