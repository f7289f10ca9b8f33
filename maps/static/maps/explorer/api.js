/* Requests to the platform's API. The map's element counts them for the tests and the
 * benchmarks: data-requests (asked so far) and data-pending (not answered or drawn yet). */

export function busy(atlas, delta) {
  atlas.pending += delta;
  atlas.container.setAttribute("data-pending", String(atlas.pending));
}

export function getJSON(atlas, url) {
  atlas.requests += 1;
  atlas.container.setAttribute("data-requests", String(atlas.requests));
  busy(atlas, 1);
  return fetch(url).then(function (r) {
    if (r.ok) return r.json();
    // The API's answer to a refused request ({"error": ..., "parameter": ...}, in the
    // page's language) goes with the error, for the page to say why.
    return r.json().catch(function () { return null; }).then(function (body) {
      var error = new Error("HTTP " + r.status + " for " + url);
      error.status = r.status;
      error.body = body;
      throw error;
    });
  }).finally(function () { busy(atlas, -1); });
}

// The regional layer's URL for these parameters, within the page's own filters
// (the partner of an embed, the layer of a layer's page, the category chosen) and in
// its language; an extra parameter given as null leaves that filter out.
export function query(atlas, extra) {
  var base = atlas.base;
  var q = new URLSearchParams({ lang: atlas.options.lang });
  Object.keys(base).forEach(function (k) { if (base[k]) q.set(k, base[k]); });
  Object.keys(extra).forEach(function (k) {
    if (extra[k] === null) q.delete(k); else q.set(k, extra[k]);
  });
  return atlas.options.featuresUrl + "?" + q.toString();
}
