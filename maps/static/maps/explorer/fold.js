/* Text matched as the API's ?q= matches features (layers/search.py): folded to
 * lower-case Latin by the same table (so "Стара" finds Stara Zagora and "larisa"
 * Λάρισα), cut into words as PostgreSQL's to_tsvector cuts them, and each word of the
 * query must start a word of the text: "zag" finds Stara Zagora, "agora" does not. */

// fold(text) and searchWords(text) with the page's folding table (options.fold).
export function folding(table) {
  var FOLD_TO = {}, folded = Array.from(table.to);
  Array.from(table.from).forEach(function (ch, i) { FOLD_TO[ch] = folded[i]; });
  function fold(s) {
    // As PostgreSQL's lower(): one letter for one (JavaScript makes İ two).
    var t = String(s || "").replace(/İ/g, "i").toLowerCase();
    table.replace.forEach(function (r) { t = t.split(r[0]).join(r[1]); });
    t = Array.from(t, function (ch) { return FOLD_TO[ch] || ch; }).join("");
    // Each pair of one letter a–z becomes one, letter after letter ("sss" leaves
    // "ss"); digits are kept ("1000"), as atlas_latin() does.
    Array.from(table.pairs).forEach(function (c) { t = t.split(c + c).join(c); });
    return t;
  }
  // Runs of letters and digits, and a hyphenated run whole as well as its parts
  // ("saint-vallier": saint-vallier, saint, vallier), as to_tsvector('simple', …).
  function searchWords(s) {
    var out = [];
    fold(s).split(/[^\p{L}\p{N}-]+/u).forEach(function (run) {
      var parts = run.split("-").filter(Boolean);
      out.push.apply(out, parts);
      if (parts.length > 1) out.push(parts.join("-"));
    });
    return out;
  }
  return { fold: fold, searchWords: searchWords };
}

// Every word of the query starts a word of the text (a query without a letter or
// digit, like the API's, rules nothing out).
export function startsWords(textWords, queryWords) {
  return queryWords.every(function (w) {
    return textWords.some(function (t) { return t.lastIndexOf(w, 0) === 0; });
  });
}
