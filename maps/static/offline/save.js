/* Offline, on the device: "Save for offline" on a route's page (its page, data, GPX, the
   timetable of chosen days and the platform's tiles of its corridor, kept in Cache
   Storage, one cache per route), the saved routes' list, remove, the route pack's
   download, and "follow" (static/offline/follow.js does the maths). The service worker
   (/sw.js) answers from these caches when there is no network. Every word shown comes
   from the page, already in its language. */
(function () {
  "use strict";
  var Sync = window.AtlasSync; // static/offline/sync.js: saving and re-syncing a copy
  var PREFIX = Sync.PREFIX;
  var lang = document.documentElement.lang || "en";

  function bytesText(n) {
    var mb = n / (1024 * 1024);
    var f = new Intl.NumberFormat(lang, { maximumFractionDigits: mb < 10 ? 1 : 0 });
    return mb < 0.1 ? f.format(Math.max(1, Math.round(n / 1024))) + " kB" : f.format(mb) + " MB";
  }

  function dateText(iso) {
    var d = new Date(iso.length === 10 ? iso + "T12:00:00" : iso);
    return new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(d);
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }

  var meta = Sync.meta;

  function savedRoutes() {
    if (!("caches" in window)) return Promise.resolve([]);
    return Sync.savedRoutes();
  }

  // What the page itself loads: its scripts, styles and pictures, from the platform.
  function pageAssets() {
    var urls = [];
    document.querySelectorAll("script[src], link[rel~='stylesheet'][href], " +
      "link[rel~='icon'][href], link[rel='manifest'][href], img[src]").forEach(function (el) {
      var u = new URL(el.src || el.href, location.href);
      if (u.origin === location.origin) urls.push(u.pathname + u.search);
    });
    return urls;
  }

  function saveRoute(plan, page, progress, assets) {
    return Sync.saveRoute(plan, page, progress, assets || pageAssets(), lang);
  }

  /* The worker's word on a saved copy (sync.js, re-synced in the background): told to
     every open page, which shows it. */
  function onSynced(callback) {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.addEventListener("message", function (event) {
      var d = event.data || {};
      if (d.type === "atlas-sync" && d.state) callback(d);
    });
  }

  function askResync(which) {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ resync: which });
    });
  }

  function savedText(labels, m) {
    var days = m.days.map(dateText).join(", ");
    return fill(labels.savedOn, { saved: dateText(m.saved_at), data: dateText(m.data_date),
      size: bytesText(m.bytes), days: days });
  }

  var STYLE = { trails: ["#2e7d32", 2], routes: ["#7b241c", 2], attractions: ["#1f4e79", 3],
    services: ["#7d6608", 3], practices: ["#6c3483", 3] };

  /* The saved tiles of the corridor, drawn under the route when there is no network:
     the platform's trails, attractions and routes in place of a basemap. */
  function savedTiles(map, m) {
    if (!window.AtlasMvt || !m.tiles_template) return;
    var drawn = 0;
    var Layer = L.GridLayer.extend({
      createTile: function (coords, done) {
        var canvas = document.createElement("canvas");
        canvas.width = canvas.height = 256;
        var url = m.tiles_template.replace("{z}", coords.z).replace("{x}", coords.x)
          .replace("{y}", coords.y);
        fetch(url).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.arrayBuffer();
        }).then(function (buf) {
          var ctx = canvas.getContext("2d");
          window.AtlasMvt.decode(new Uint8Array(buf)).forEach(function (layer) {
            var style = STYLE[layer.name] || ["#566573", 2], k = 256 / layer.extent;
            ctx.strokeStyle = ctx.fillStyle = style[0];
            ctx.lineWidth = style[1];
            layer.features.forEach(function (f) {
              f.geometry.forEach(function (part) {
                if (f.type === 1) {
                  ctx.beginPath();
                  ctx.arc(part[0][0] * k, part[0][1] * k, style[1], 0, 2 * Math.PI);
                  ctx.fill();
                } else {
                  ctx.beginPath();
                  part.forEach(function (p, n) {
                    if (n === 0) ctx.moveTo(p[0] * k, p[1] * k);
                    else ctx.lineTo(p[0] * k, p[1] * k);
                  });
                  ctx.stroke();
                }
              });
              drawn += 1;
            });
          });
          map.getContainer().setAttribute("data-saved-features", String(drawn));
          done(null, canvas);
        }).catch(function () { done(null, canvas); }); // a tile not saved: left blank
        return canvas;
      },
    });
    new Layer({ minZoom: m.zooms[0], maxNativeZoom: m.zooms[1], className: "atlas-saved-tiles",
      attribution: "Regional Tourism Atlas" }).addTo(map);
  }

  /* The route page's "Offline" block and "Follow". */
  function route(map, o) {
    var box = document.querySelector("[data-offline]");
    if (!box) return;
    var L_ = o.labels;
    var status = box.querySelector("[data-offline-status]");
    var saveBtn = box.querySelector("[data-offline-save]");
    var confirmBtn = box.querySelector("[data-offline-confirm]");
    var removeBtn = box.querySelector("[data-offline-remove]");
    var from = box.querySelector("[data-offline-from]");
    var count = box.querySelector("[data-offline-days]");
    var packLink = box.querySelector("[data-offline-pack]");
    var banner = document.querySelector("[data-offline-banner]");
    var page = location.pathname;
    var plan = null, shownTiles = false;
    var name = PREFIX + o.slug;

    function days() {
      var first = new Date((from.value || o.today) + "T12:00:00");
      var out = [];
      for (var n = 0; n < Number(count.value || 1); n++) {
        var d = new Date(first.getTime() + n * 86400000);
        out.push(d.toISOString().slice(0, 10));
      }
      return out.join(",");
    }

    function show(m) {
      removeBtn.hidden = !m;
      box.setAttribute("data-saved", m ? "1" : "0");
      if (m) status.textContent = savedText(L_, m);
      if (m && !navigator.onLine && !shownTiles) {
        shownTiles = true;
        savedTiles(map, m);
      }
      if (m && banner && !navigator.onLine) {
        banner.textContent = fill(L_.offlineCopy, { saved: dateText(m.saved_at),
          data: dateText(m.data_date) });
        banner.hidden = false;
      }
    }

    // Said at the top as well: on a phone the offline block is screens below.
    function say(text) {
      status.textContent = text;
      if (banner) { banner.textContent = text; banner.hidden = false; }
    }

    function synced(result) {
      if (!result.state) return;
      box.setAttribute("data-sync", result.state);
      if (result.state === "updated") {
        show(result.meta);
        say(fill(L_.updated, { data: dateText(result.meta.data_date) }));
      } else if (result.state === "failed") {
        say(fill(L_.updateFailed, { saved: dateText(result.meta.saved_at) }));
      }
    }

    function resync(m) {
      return Sync.resync(m, function () {
        box.setAttribute("data-sync", "changed");
        say(fill(L_.changed, { saved: dateText(m.saved_at) }));
      }).then(synced);
    }

    // Re-synced in the background (back online, the app's start): the page follows.
    onSynced(function (d) { if (d.route === o.slug) synced(d); });

    if (!("caches" in window) || !("serviceWorker" in navigator)) {
      status.textContent = L_.unsupported;
      saveBtn.disabled = true;
    } else {
      caches.has(name).then(function (has) { return has ? meta(name) : null; })
        .then(function (m) {
          show(m);
          if (m) return resync(m);
        });
    }
    from.value = from.value || o.today;

    saveBtn.addEventListener("click", function () {
      status.textContent = L_.measuring;
      confirmBtn.hidden = true;
      fetch(o.planUrl + "?lang=" + lang + "&date=" + days(), { credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.status); return j; }); })
        .then(function (p) {
          plan = p;
          var size = bytesText(p.tiles.estimated_bytes + 400 * 1024);
          status.textContent = fill(p.tiles.capped ? L_.planCapped : L_.plan, {
            tiles: new Intl.NumberFormat(lang).format(p.tiles.count),
            zmin: p.tiles.zooms[0], zmax: p.tiles.zooms[1], size: size });
          confirmBtn.hidden = false;
          confirmBtn.focus();
        }).catch(function (e) { status.textContent = L_.failed + " " + e.message; });
    });

    confirmBtn.addEventListener("click", function () {
      if (!plan) return;
      confirmBtn.hidden = true;
      saveBtn.disabled = true;
      saveRoute(plan, page, function (done, all) {
        status.textContent = fill(L_.saving, { done: done, all: all });
      }).then(function (m) {
        saveBtn.disabled = false;
        show(m);
      }).catch(function (e) {
        saveBtn.disabled = false;
        status.textContent = L_.failed + " " + e.message;
      });
    });

    removeBtn.addEventListener("click", function () {
      caches.delete(name).then(function () {
        show(null);
        status.textContent = L_.removed;
      });
    });

    packLink.addEventListener("click", function (e) {
      e.preventDefault();
      var url = o.packUrl + "?date=" + days();
      function ask() {
        fetch(url, { method: "HEAD", credentials: "same-origin" }).then(function (r) {
          if (r.status === 202) {
            status.textContent = L_.packMaking;
            setTimeout(ask, 1000 * Number(r.headers.get("Retry-After") || 5));
          } else {
            location.href = url;
          }
        }).catch(function () { status.textContent = L_.failed; });
      }
      ask();
    });

    follow(map, o);
  }

  /* The bar sticks to the bottom of the window over what is there (on a desktop's first
     screen, the download buttons): the page's scroll padding keeps what the keyboard or
     a link brings into view above it, at its height, which its lines change. */
  function roomFor(panel) {
    var root = document.documentElement;
    function measure() {
      root.style.setProperty("--atlas-follow-height", panel.offsetHeight + "px");
    }
    measure();
    if (window.ResizeObserver) new ResizeObserver(measure).observe(panel);
  }

  /* "Follow": where the user is on the route, on the device only. */
  function follow(map, o) {
    var panel = document.querySelector("[data-follow]");
    if (!panel || !("geolocation" in navigator) || !window.AtlasFollow) return;
    var L_ = o.labels;
    var btn = panel.querySelector("[data-follow-toggle]");
    var out = panel.querySelector("[data-follow-status]");
    panel.hidden = false;
    roomFor(panel);
    var watch = null, track = null, hint, marker = null;
    var km = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    var m0 = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });

    function distance(m) { return m >= 1000 ? km.format(m / 1000) + " km" : m0.format(m) + " m"; }

    function update(pos) {
      var c = pos.coords;
      var s = window.AtlasFollow.status(track, c.longitude, c.latitude, hint);
      hint = s.along_m;
      var lines = [];
      if (s.off_route) lines.push(fill(L_.offRoute, { distance: distance(s.off_m) }));
      lines.push(s.next ? fill(L_.nextStop, { name: s.next.order + ". " + s.next.name,
        distance: distance(s.next.distance_m) }) : L_.noNextStop);
      lines.push(fill(L_.remaining, { distance: distance(s.remaining_m) }));
      out.textContent = "";
      lines.forEach(function (t, n) {
        var p = document.createElement("p");
        p.textContent = t;
        if (n === 0 && s.off_route) p.className = "follow-off";
        out.appendChild(p);
      });
      panel.setAttribute("data-off-route", s.off_route ? "1" : "0");
      panel.setAttribute("data-next-m", String(s.next ? Math.round(s.next.distance_m) : ""));
      var ll = [c.latitude, c.longitude];
      if (!marker) {
        marker = L.circleMarker(ll, { radius: 9, color: "#fff", weight: 3,
          fillColor: "#2e86c1", fillOpacity: 1, className: "atlas-you" }).addTo(map);
      } else {
        marker.setLatLng(ll);
      }
      if (!map.getBounds().contains(ll)) map.panTo(ll);
    }

    function stop() {
      if (watch !== null) navigator.geolocation.clearWatch(watch);
      watch = null;
      btn.textContent = L_.follow;
      btn.setAttribute("aria-pressed", "false");
    }

    btn.addEventListener("click", function () {
      if (watch !== null) { stop(); return; }
      hint = undefined;
      btn.textContent = L_.stopFollowing;
      btn.setAttribute("aria-pressed", "true");
      out.textContent = L_.locating;
      fetch(o.detailUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (f) {
          if (!f.geometry) { out.textContent = L_.noNextStop; stop(); return; }
          track = window.AtlasFollow.prepare(f.geometry.coordinates, f.properties.stops);
          // A phone loses its fix now and then (a valley, a tunnel): following goes on,
          // unless the user refused their position.
          watch = navigator.geolocation.watchPosition(update, function (err) {
            if (hint === undefined) out.textContent = L_.noPosition;
            if (err.code === err.PERMISSION_DENIED) stop();
          }, { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
        });
    });
  }

  /* The offline page: the saved routes, each with its date, size and "remove". */
  function list() {
    var box = document.querySelector("[data-offline-list]");
    if (!box) return;
    var L_ = JSON.parse(document.getElementById("offline-labels").textContent);
    var state = document.querySelector("[data-offline-state]");
    if (state) state.textContent = navigator.onLine ? L_.online : L_.offline;
    var items = {};
    savedRoutes().then(function (all) {
      box.textContent = "";
      box.setAttribute("data-count", String(all.length));
      if (!all.length) {
        var none = document.createElement("p");
        none.textContent = L_.none;
        box.appendChild(none);
        return;
      }
      var ul = document.createElement("ul");
      ul.className = "saved-routes";
      all.forEach(function (m) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = m.page;
        a.textContent = m.name;
        var info = document.createElement("span");
        info.className = "help";
        info.textContent = " " + savedText(L_, m);
        var rm = document.createElement("button");
        rm.type = "button";
        rm.className = "secondary";
        rm.textContent = L_.remove;
        rm.addEventListener("click", function () {
          caches.delete(PREFIX + m.route).then(function () { li.remove(); });
        });
        li.setAttribute("data-route", m.route);
        li.append(a, info, " ", rm);
        ul.appendChild(li);
        items[m.route] = { li: li, info: info };
      });
      box.appendChild(ul);
      // Every copy is checked while the list is open; a changed route is saved again in
      // the background, and its line says so with its new data's date.
      if (navigator.onLine) askResync("all");
    });
    onSynced(function (d) {
      var item = items[d.route];
      if (!item) return;
      item.li.setAttribute("data-sync", d.state);
      item.info.textContent = " " + savedText(L_, d.meta);
      var old = item.li.querySelector(".saved-changed");
      if (old) old.remove();
      if (d.state !== "updated" && d.state !== "failed") return;
      var note = document.createElement("p");
      note.className = "saved-changed";
      note.textContent = fill(d.state === "updated" ? L_.updatedList : L_.failedList,
        { data: dateText(d.meta.data_date) });
      item.li.appendChild(note);
    });
  }

  document.addEventListener("DOMContentLoaded", list);
  window.AtlasOffline = { route: route, list: list, savedRoutes: savedRoutes };
}());
