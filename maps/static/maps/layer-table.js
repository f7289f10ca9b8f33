/* The layer preview's attribute table: pages of the layer read from the API. */
(function () {
  "use strict";
  var options = JSON.parse(document.getElementById("layer-table-options").textContent);
  var table = document.getElementById("layer-table");
  var body = table.querySelector("tbody");
  var range = document.querySelector(".table-range");
  var prev = document.querySelector("[data-page=prev]");
  var next = document.querySelector("[data-page=next]");
  var offset = 0, total = 0;
  var number = new Intl.NumberFormat(options.lang, { maximumFractionDigits: 1 });
  var when = new Intl.DateTimeFormat(options.lang, { dateStyle: "medium" });

  function cell(text, className, lang) {
    var td = document.createElement("td");
    if (className) td.className = className;
    if (lang) td.lang = lang;
    td.textContent = text === null || text === undefined || text === "" ? "—" : text;
    return td;
  }

  function row(f) {
    var p = f.properties, tr = document.createElement("tr");
    var name = document.createElement("td");
    var a = document.createElement("a");
    a.href = options.detailUrl.replace("00000000-0000-0000-0000-000000000000", f.id);
    a.textContent = p.name || "—";
    name.appendChild(a);
    tr.appendChild(name);
    ["bg", "el", "fr", "en"].forEach(function (code) { tr.appendChild(cell(p.names[code], "", code)); });
    if (options.kind === "attraction") {
      tr.appendChild(cell(options.labels.categories[p.category] || p.category));
    } else {
      tr.appendChild(cell(options.labels.activities[p.activity] || p.activity));
      tr.appendChild(cell(options.labels.difficulties[p.difficulty] || p.difficulty));
      tr.appendChild(cell(p.length_m === null ? null : number.format(p.length_m / 1000), "num"));
      tr.appendChild(cell(p.ascent_m === null ? null : Math.round(p.ascent_m), "num"));
    }
    tr.appendChild(cell(p.updated_at ? when.format(new Date(p.updated_at)) : null));
    var show = document.createElement("td");
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary small";
    var img = document.createElement("img");
    img.src = options.markerIcon;
    img.alt = options.labels.showOnMap + " " + (p.name || "");
    img.width = img.height = 15;
    b.appendChild(img);
    b.title = img.alt;
    b.addEventListener("click", function () {
      if (window.atlasExplorer) {
        window.atlasExplorer.focus(f);
        window.atlasExplorer.map.getContainer().scrollIntoView({ behavior: "smooth" });
      }
    });
    show.appendChild(b);
    tr.appendChild(show);
    return tr;
  }

  function load() {
    var q = new URLSearchParams({ layer: options.layer, lang: options.lang,
                                  limit: options.pageSize, offset: offset });
    return fetch(options.featuresUrl + "?" + q)
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (fc) {
        total = fc.numberMatched;
        body.textContent = "";
        fc.features.forEach(function (f) { body.appendChild(row(f)); });
        var first = fc.numberReturned ? offset + 1 : 0;
        range.textContent = options.labels.range
          .replace("%(first)s", number.format(first))
          .replace("%(last)s", number.format(offset + fc.numberReturned))
          .replace("%(total)s", number.format(total));
        prev.disabled = offset === 0;
        next.disabled = offset + fc.numberReturned >= total;
        table.setAttribute("data-offset", String(offset));
      })
      .catch(function (err) { console.error("Atlas: could not load the table", err); });
  }

  prev.addEventListener("click", function () {
    offset = Math.max(0, offset - options.pageSize);
    load();
  });
  next.addEventListener("click", function () {
    offset += options.pageSize;
    load();
  });
  document.querySelectorAll("button.copy").forEach(function (b) {
    b.addEventListener("click", function () {
      var input = document.getElementById(b.getAttribute("data-copy"));
      input.select();
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(function () {});
    });
  });
  load();
})();
