/* The platform's vector tiles (Mapbox Vector Tile 2.1, layers/tiles.py) read on the
   device: a saved route's page draws the trails, attractions and routes of its corridor
   from the saved tiles when there is no network (no outside basemap is kept, decision
   0012). Only what drawing needs is decoded: each layer's name and extent, each
   feature's type and geometry. Runs in the page (window.AtlasMvt) and in node. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.AtlasMvt = factory();
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function Reader(bytes, start, end) {
    this.b = bytes;
    this.p = start || 0;
    this.end = end === undefined ? bytes.length : end;
  }
  Reader.prototype.varint = function () {
    var result = 0, shift = 1, byte;
    do {
      byte = this.b[this.p++];
      result += (byte & 0x7f) * shift;
      shift *= 128;
    } while (byte & 0x80);
    return result;
  };
  Reader.prototype.skip = function (wire) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.p += 8;
    else if (wire === 2) {
      var len = this.varint(); // read first: `this.p += this.varint()` adds to the old p
      this.p += len;
    }
    else if (wire === 5) this.p += 4;
    else throw new Error("unknown wire type " + wire);
  };
  Reader.prototype.sub = function () {
    var len = this.varint(), r = new Reader(this.b, this.p, this.p + len);
    this.p += len;
    return r;
  };
  Reader.prototype.packed = function () {
    var r = this.sub(), out = [];
    while (r.p < r.end) out.push(r.varint());
    return out;
  };

  function zigzag(n) { return n % 2 ? -(n + 1) / 2 : n / 2; }

  /* Rings or lines of [x, y] in tile units (0..extent), from the geometry commands. */
  function geometry(cmds) {
    var parts = [], part = null, x = 0, y = 0, i = 0;
    while (i < cmds.length) {
      var id = cmds[i] & 7, count = Math.floor(cmds[i] / 8);
      i += 1;
      if (id === 7) { // ClosePath
        if (part && part.length) part.push(part[0]);
        continue;
      }
      for (var k = 0; k < count; k++) {
        x += zigzag(cmds[i]);
        y += zigzag(cmds[i + 1]);
        i += 2;
        if (id === 1) { // MoveTo starts a part (each point of a multipoint is one)
          part = [];
          parts.push(part);
        }
        part.push([x, y]);
      }
    }
    return parts;
  }

  function feature(r) {
    var f = { type: 0, geometry: [] };
    while (r.p < r.end) {
      var key = r.varint(), field = Math.floor(key / 8), wire = key & 7;
      if (field === 3 && wire === 0) f.type = r.varint();
      else if (field === 4 && wire === 2) f.geometry = geometry(r.packed());
      else r.skip(wire);
    }
    return f;
  }

  function layer(r) {
    var l = { name: "", extent: 4096, features: [] };
    while (r.p < r.end) {
      var key = r.varint(), field = Math.floor(key / 8), wire = key & 7;
      if (field === 1 && wire === 2) {
        var s = r.sub();
        l.name = new TextDecoder().decode(s.b.subarray(s.p, s.end));
      } else if (field === 2 && wire === 2) l.features.push(feature(r.sub()));
      else if (field === 5 && wire === 0) l.extent = r.varint();
      else r.skip(wire);
    }
    return l;
  }

  /* The tile's layers: [{name, extent, features: [{type: 1|2|3, geometry}]}]. */
  function decode(bytes) {
    var r = new Reader(bytes), layers = [];
    while (r.p < r.end) {
      var key = r.varint();
      if (Math.floor(key / 8) === 3 && (key & 7) === 2) layers.push(layer(r.sub()));
      else r.skip(key & 7);
    }
    return layers;
  }

  return { decode: decode, zigzag: zigzag };
}));
