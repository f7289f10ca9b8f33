/* The platform's service worker, served at /sw.js so that its scope is the whole site
   (maps/pages/offline.py fills in the two values below). It answers from the network
   whenever there is one — the platform's data changes and a stale page would mislead —
   and, without one, from what the device saved: a saved route's pages, data and tiles
   (caches "atlas-route-<slug>", written by the page's script, static/offline/save.js),
   else the offline page in the visitor's language (cache "atlas-shell-<version>"). */
"use strict";
// The re-sync of saved routes (AtlasSync), shared with the pages.
importScripts(__ATLAS_SYNC_URL__);
var VERSION = "__ATLAS_SW_VERSION__";
var SHELL_URLS = __ATLAS_SHELL_URLS__;
var SHELL = "atlas-shell-" + VERSION;
var LANG_KEY = "/__atlas/lang";
var LANGS = ["bg", "el", "fr", "en"];
var RETRY_MS = 5000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    // One by one, so that a missing file costs only itself, not the whole shell.
    return Promise.all(SHELL_URLS.map(function (url) {
      return fetch(url, { credentials: "omit" }).then(function (r) {
        if (r.ok) return cache.put(url, r);
      }).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("atlas-shell-") === 0 && n !== SHELL;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

/* Saved routes re-synced in the background: each copy asks the platform for its route's
   version and downloads again only when it changed. "all": every copy (the device is back
   online, or the saved list is open); "stale": those not checked for a day (the app's
   start). Every open page is told what became of each copy. */
function report(result) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true })
    .then(function (clients) {
      clients.forEach(function (client) {
        client.postMessage({ type: "atlas-sync", route: result.meta.route,
          state: result.state, meta: result.meta });
      });
    });
}

// A network just back may not answer yet (the worker hears of it after the page, a
// phone's connection takes a moment): copies that could not be checked are tried again.
function resyncSaved(olderThanMs, retries) {
  return self.AtlasSync.resyncAll(olderThanMs, report).then(function (results) {
    var unsure = results.some(function (r) { return r.state === null; });
    if (!unsure || !retries) return;
    return new Promise(function (done) { setTimeout(done, RETRY_MS); }).then(function () {
      return resyncSaved(olderThanMs, retries - 1);
    });
  }).catch(function () {});
}

// The page tells its language (the offline page is then shown in it) and asks for re-syncs.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.resync) {
    event.waitUntil(resyncSaved(data.resync === "all" ? 0 : self.AtlasSync.DAY_MS, 2));
    return;
  }
  var lang = data.lang;
  if (LANGS.indexOf(lang) < 0) return;
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.put(LANG_KEY, new Response(lang));
  }));
});

// Where the browser has it (an installed app in Chromium), once a day or so.
self.addEventListener("periodicsync", function (event) {
  if (event.tag === "atlas-resync") event.waitUntil(resyncSaved(self.AtlasSync.DAY_MS / 2, 0));
});

function saved(request) {
  // Pages vary on the language cookie and tiles on Accept-Language: the saved copy is
  // the one the visitor saved, in the language they saw it.
  return caches.match(request, { ignoreVary: true });
}

function offlinePage(url) {
  var lang = url.searchParams.get("lang");
  return caches.open(SHELL).then(function (cache) {
    var known = LANGS.indexOf(lang) >= 0 ? Promise.resolve(lang)
      : cache.match(LANG_KEY).then(function (r) { return r ? r.text() : "en"; });
    return known.then(function (l) {
      return cache.match("/offline/?lang=" + l).then(function (r) {
        return r || cache.match("/offline/?lang=en");
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return; // the basemap's tiles: not ours to keep
  if (url.pathname === "/sw.js") return;
  event.respondWith(fetch(request).catch(function (error) {
    return saved(request).then(function (found) {
      if (found) return found;
      if (request.mode === "navigate") {
        // A saved page asked for with its section (#how-to-get-there) or without the
        // date it was saved with still opens: the copy with no query.
        var bare = url.origin + url.pathname;
        return saved(bare).then(function (page) {
          return page || offlinePage(url).then(function (off) {
            return off || Response.error();
          });
        });
      }
      throw error;
    });
  }));
});
