/* Small helpers the explorer's modules share. Text from partners' data (names,
 * descriptions) is only ever set as text: el() sets textContent, never HTML. */

export function el(tag, attrs, text) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "className") node.className = attrs[k];
    else node.setAttribute(k, attrs[k]);
  });
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function fmt(template, values) {
  return template.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
}

// For the few strings Leaflet takes as HTML (divIcon, attribution): our own words and URLs.
export function escapeAttr(s) {
  return String(s).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

export function button(text, className, title) {
  var b = el("button", { type: "button", className: className }, text);
  if (title) { b.title = title; b.setAttribute("aria-label", title); }
  return b;
}

export function checkbox(id, text, checked, onChange, swatch) {
  var row = el("div", { className: "atlas-check" });
  var input = el("input", { type: "checkbox", id: id });
  input.checked = checked;
  input.addEventListener("change", function () { onChange(input.checked); });
  var label = el("label", { "for": id });
  if (swatch) label.appendChild(swatch);
  label.appendChild(document.createTextNode(text));
  row.appendChild(input);
  row.appendChild(label);
  return row;
}

// A large map has room for open panels; on a phone or a small map they would hide it.
export function roomy(container) {
  return container.clientWidth > 700 && container.clientHeight > 560;
}
