// claimbook: how the site search reads a query. Sphinx puts this file into language_data.js as the
// Chinese search language's js_splitter_code (claimbook/sphinxext/zhsearch.py).
//
// The index holds what jieba cut from the pages: numbers stay whole ("586.7", "58.67", "1.9",
// "0.516%") and Chinese text becomes words ("比亚迪", "亿元"). Sphinx's own splitter cuts a query at
// every "." and its query parser drops terms that are all digits, so "586.7" searched for nothing.
// Here a query is cut the way jieba cut the pages:
// - runs of letters, digits and . % + - _ stay whole ("586.7", "58.67"); a comma between digits
//   separates, as it does in the index ("19,000" is "19" and "000");
// - a run of Chinese is matched against the index's own words, longest first; a character that no
//   indexed word covers is left out, since the index keeps no single characters ("1.9万" is "1.9");
// - terms that are all digits are searched for too ("2025").
function splitQuery(query) {
  "use strict";
  var HAN = /(\p{Script=Han}+)/u;
  var LONGEST_WORD = 8; // jieba's words are short; longer runs are cut into them
  var index = typeof Search !== "undefined" && Search._index ? Search._index : null;

  function indexed(word) {
    return index !== null && (Object.hasOwn(index.terms, word) || Object.hasOwn(index.titleterms, word));
  }

  function chineseWords(run) {
    if (index === null || indexed(run)) return [run];
    var chars = Array.from(run), words = [];
    for (var i = 0; i < chars.length;) {
      var found = 0;
      for (var j = Math.min(chars.length, i + LONGEST_WORD); j > i + 1 && !found; j--) {
        if (indexed(chars.slice(i, j).join(""))) found = j - i;
      }
      if (found) words.push(chars.slice(i, i + found).join(""));
      i += found || 1;
    }
    return words.length ? words : [run];
  }

  var terms = [];
  query.split(/[^\p{Letter}\p{Number}\p{Emoji_Presentation}_.,%+\-]+/u).forEach(function (chunk) {
    chunk.split(HAN).forEach(function (piece, position) {
      if (!piece) return;
      if (position % 2) { // odd pieces are the Chinese runs the split captured
        terms.push.apply(terms, chineseWords(piece));
        return;
      }
      piece.split(/,/).forEach(function (term) {
        term = term.replace(/^[.%+]+|[.+]+$/g, ""); // sentence punctuation, not part of a number
        if (term && term !== "-") terms.push(term);
      });
    });
  });
  return terms;
}

// Sphinx's query parser skips terms that are all digits; search for them as well.
if (typeof Search !== "undefined" && !Search._claimbookDigits) {
  Search._claimbookDigits = true;
  (function (parseQuery) {
    Search._parseQuery = function (query) {
      var parsed = parseQuery(query);
      var searchTerms = parsed[1], highlightTerms = parsed[3];
      splitQuery(query.trim()).forEach(function (term) {
        if (/^\d+$/.test(term)) {
          searchTerms.add(term);
          highlightTerms.add(term);
        }
      });
      return parsed;
    };
  })(Search._parseQuery);
}
