/* A saved route's copy on the device, kept up to date: saving a route into Cache Storage
   (one cache per route, its metadata at META), and re-syncing it — the platform's
   version of the route (the checksum its pack is named by) asked for, and the copy saved
   again only when it differs: an unchanged route downloads nothing. Shared by the pages
   (static/offline/save.js) and the service worker (/sw.js, which re-syncs in the
   background: on periodic sync where the browser has it, when the device comes back
   online, and at the app's start for copies not checked for a day). No DOM here. */
(function (scope) {
  "use strict";
  var PREFIX = "atlas-route-";
  var SCRATCH = "atlas-update-";
  var META = "/__atlas/meta";
  var PARALLEL = 6;
  var DAY_MS = 86400000;
  var CHECK_TIMEOUT_MS = 15000;

  function meta(name) {
    return caches.open(name).then(function (c) { return c.match(META); })
      .then(function (r) { return r ? r.json() : null; });
  }

  function writeMeta(name, m) {
    return caches.open(name).then(function (c) {
      return c.put(META, new Response(JSON.stringify(m),
        { headers: { "Content-Type": "application/json" } }));
    });
  }

  function savedRoutes() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0; })
        .map(meta));
    }).then(function (all) {
      return all.filter(Boolean).sort(function (a, b) { return a.name.localeCompare(b.name); });
    });
  }

  // Fetches every URL into the cache, PARALLEL at a time; the bytes kept.
  function keep(cache, urls, required, progress) {
    var i = 0, done = 0, bytes = 0;
    function next() {
      if (i >= urls.length) return Promise.resolve();
      var url = urls[i++];
      return fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok || r.redirected) {
          if (required[url]) throw new Error(url + ": " + r.status);
          return null;
        }
        return r.clone().blob().then(function (b) {
          bytes += b.size;
          return cache.put(url, r);
        });
      }).then(function () {
        done += 1;
        progress(done, urls.length);
        return next();
      });
    }
    var workers = [];
    for (var k = 0; k < PARALLEL; k++) workers.push(next());
    return Promise.all(workers).then(function () { return bytes; });
  }

  // The scratch cache's entries become the route's cache (Cache Storage has no rename).
  function swap(scratch, name) {
    return caches.open(scratch).then(function (from) {
      return from.keys().then(function (requests) {
        return caches.delete(name).then(function () { return caches.open(name); })
          .then(function (to) {
            return Promise.all(requests.map(function (req) {
              return from.match(req).then(function (r) { return to.put(req, r); });
            }));
          });
      });
    }).then(function () { return caches.delete(scratch); });
  }

  /* Saved into a scratch cache of its own and swapped in only when whole: an update that
     fails half way (the network lost on a bus) leaves the copy saved before as it was;
     two at once (the page and the worker) each write their own scratch. */
  function saveRoute(plan, page, progress, assets, lang) {
    var name = PREFIX + plan.route;
    var scratch = SCRATCH + plan.route + "-" + Date.now() + "-" + Math.random().toString(36).slice(2);
    var required = {};
    plan.pages.concat(plan.data).forEach(function (u) { required[u] = true; });
    var urls = plan.pages.concat(plan.data, assets, plan.tiles.urls, plan.basemap || []);
    urls = urls.filter(function (u, n) { return urls.indexOf(u) === n; });
    return caches.open(scratch).then(function (cache) {
      return keep(cache, urls, required, progress).then(function (bytes) {
        var now = new Date().toISOString();
        var m = { route: plan.route, name: plan.name, page: page, gpx: plan.gpx,
          data_date: plan.data_date, saved_at: now, checked_at: now, days: plan.days,
          tiles: plan.tiles.count, zooms: plan.tiles.zooms, bytes: bytes,
          tiles_template: plan.tiles.template, version: plan.version, lang: lang,
          version_url: plan.version_url, plan_url: plan.plan_url, assets: assets };
        return writeMeta(scratch, m).then(function () {
          return swap(scratch, name);
        }).then(function () { return m; });
      });
    }).catch(function (e) {
      return caches.delete(scratch).then(function () { throw e; });
    });
  }

  /* Whether the route changed since the copy was saved: its version (route, corridor's
     features, timetable's feeds: the pack's checksum) asked for; null when it cannot tell
     (offline, the platform unreachable, the route gone). */
  function changedSince(m) {
    // A page trusts the browser's word that it is offline; the worker asks anyway: it
    // hears of the network's return later than the page does (without one, the request
    // fails at once).
    if (!m || (scope.document && !scope.navigator.onLine)) return Promise.resolve(null);
    // A copy saved before versions were kept cannot tell: it is taken as changed.
    if (!m.version || !m.version_url) return Promise.resolve(true);
    // A phone's network can take a request and never answer: the check gives up, and
    // the copies after it in the queue are not held up.
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, CHECK_TIMEOUT_MS);
    return fetch(m.version_url, { credentials: "same-origin", cache: "no-store",
      signal: abort.signal })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (v) { return v ? v.version !== m.version : null; })
      .catch(function () { return null; })
      .then(function (changed) { clearTimeout(timer); return changed; });
  }

  // The plan a copy was saved from, for its language and days (older copies kept no URL).
  function planUrl(m) {
    var base = m.plan_url || m.version_url.replace(/version\/\?.*$/, "");
    return base.split("?")[0] + "?lang=" + m.lang + "&date=" + m.days.join(",");
  }

  /* One copy re-synced: "current" (unchanged; only its check's date is written),
     "updated" (saved again; the new metadata as ``meta``), "failed", or null. */
  function resync(m, onChanged) {
    return changedSince(m).then(function (changed) {
      if (changed === null) return { state: null, meta: m };
      var name = PREFIX + m.route;
      if (!changed) {
        m.checked_at = new Date().toISOString();
        // Removed from the device meanwhile: not brought back by its check's date.
        return caches.has(name).then(function (has) {
          return has ? writeMeta(name, m) : null;
        }).then(function () { return { state: "current", meta: m }; });
      }
      if (onChanged) onChanged(m);
      return fetch(planUrl(m), { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (p) {
        return saveRoute(p, m.page, function () {}, m.assets || [], m.lang);
      }).then(function (fresh) {
        return { state: "updated", meta: fresh };
      }).catch(function () {
        return { state: "failed", meta: m };
      });
    });
  }

  /* Every saved copy last checked more than ``olderThanMs`` ago, one after the other;
     ``report`` is told each result. Asked again meanwhile, it runs after the run under
     way (whose checks then count: a copy checked since is left alone). */
  var queue = Promise.resolve();
  function resyncAll(olderThanMs, report) {
    var run = queue.then(function () { return due(olderThanMs, report); });
    queue = run.catch(function () {});
    return run;
  }

  function due(olderThanMs, report) {
    return savedRoutes().then(function (all) {
      var now = Date.now();
      var stale = all.filter(function (m) {
        var last = Date.parse(m.checked_at || m.saved_at || 0) || 0;
        return now - last >= olderThanMs;
      });
      return stale.reduce(function (chain, m) {
        return chain.then(function (results) {
          return resync(m).then(function (result) {
            if (report) report(result);
            return results.concat([result]);
          });
        });
      }, Promise.resolve([]));
    });
  }

  scope.AtlasSync = { PREFIX: PREFIX, META: META, DAY_MS: DAY_MS, meta: meta,
    savedRoutes: savedRoutes, saveRoute: saveRoute, changedSince: changedSince,
    resync: resync, resyncAll: resyncAll };
}(self));
