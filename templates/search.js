// productdocs search: the index is a script written at build time
// (search/index.js sets window.PRODUCTDOCS_SEARCH), so search works offline
// and from the file system. Finds by ID, title, summary and text.
//
// Each entry of the index is sealed, and the key is in this page's
// <meta name="productdocs-search-key">: a page of another origin may load
// the script, but cannot read this page, so learns nothing
// (generator/render/searchkey.go says how entries are sealed).
(function () {
  "use strict";

  // SHA-256 of one message of 48 bytes (key, nonce, counter): the
  // keystream's block. Written out: a page served over plain HTTP has no
  // WebCrypto, and this one must work there and from the file system.
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  var W = new Int32Array(64);
  function block48(words, out) { // words: the 12 big-endian words of the message
    for (var i = 0; i < 12; i++) W[i] = words[i];
    W[12] = 0x80000000; W[13] = 0; W[14] = 0; W[15] = 48 * 8;
    for (i = 16; i < 64; i++) {
      var a = W[i - 15], b = W[i - 2];
      var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a, h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    var A = h0, B = h1, C = h2, D = h3, E = h4, F = h5, G = h6, H = h7;
    for (i = 0; i < 64; i++) {
      var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
      var t1 = (H + S1 + ((E & F) ^ (~E & G)) + K[i] + W[i]) | 0;
      var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
      var t2 = (S0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
      H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
    }
    out[0] = A + h0; out[1] = B + h1; out[2] = C + h2; out[3] = D + h3;
    out[4] = E + h4; out[5] = F + h5; out[6] = G + h6; out[7] = H + h7;
  }

  // open undoes the sealing of one entry ("~" and base64 of nonce and
  // sealed JSON) with the key's 8 words.
  function open(entry, key, words, ks, decoder) {
    var bin = atob(entry.slice(1)), n = bin.length - 12;
    var bytes = new Uint8Array(n), i, j;
    for (i = 0; i < 8; i++) words[i] = key[i];
    for (i = 0; i < 3; i++) {
      words[8 + i] = (bin.charCodeAt(4 * i) << 24) | (bin.charCodeAt(4 * i + 1) << 16) | (bin.charCodeAt(4 * i + 2) << 8) | bin.charCodeAt(4 * i + 3);
    }
    for (j = 0; j * 32 < n; j++) {
      words[11] = j;
      block48(words, ks);
      for (i = 0; i < 32 && j * 32 + i < n; i++) {
        bytes[j * 32 + i] = bin.charCodeAt(12 + j * 32 + i) ^ ((ks[i >> 2] >>> (24 - 8 * (i & 3))) & 0xff);
      }
    }
    return JSON.parse(decoder.decode(bytes));
  }

  function load() {
    var meta = document.querySelector('meta[name="productdocs-search-key"]');
    var sealed = window.PRODUCTDOCS_SEARCH || [];
    if (!meta) return [];
    var hex = meta.getAttribute("content"), key = [], words = new Int32Array(12), ks = new Int32Array(8);
    for (var i = 0; i < 8; i++) key.push(parseInt(hex.slice(8 * i, 8 * i + 8), 16) | 0);
    var decoder = new TextDecoder(), out = [];
    for (i = 0; i < sealed.length; i++) out.push(open(sealed[i], key, words, ks, decoder));
    return out;
  }

  var docs = load();
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("count");
  var root = "../";
  var fileMode = location.protocol === "file:";
  var selected = -1;

  // u is a page's URL from the site root, escaped when the index was
  // written: it goes into the href as it is, never escaped again.
  function href(u) {
    var h = root + u;
    if (fileMode && (u === "" || u.slice(-1) === "/")) h += "index.html";
    return h;
  }

  // An exact ID outranks everything, however many words match elsewhere.
  var EXACT = 1e9;

  function score(d, terms, q) {
    var id = d.i.toLowerCase(), title = d.t.toLowerCase();
    if (id === q) return EXACT;
    var s = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], hit = 0;
      if (id === t) hit = 200;
      else if (id.indexOf(t) === 0) hit = 100;
      else if (id.indexOf(t) >= 0) hit = 60;
      if (title.indexOf(t) >= 0) hit = Math.max(hit, title.indexOf(t) === 0 ? 50 : 40);
      if (!hit && d.s && d.s.toLowerCase().indexOf(t) >= 0) hit = 20;
      if (!hit && d.x && d.x.toLowerCase().indexOf(t) >= 0) hit = 10;
      if (!hit) return 0;
      s += hit;
    }
    return s;
  }

  // natural orders IDs as the site's lists do: runs of digits as numbers,
  // the rest ignoring case (STORY-2 before STORY-10).
  function natural(a, b) {
    var re = /(\d+)|(\D+)/g, x = a.toLowerCase().match(re) || [], y = b.toLowerCase().match(re) || [];
    for (var i = 0; i < x.length && i < y.length; i++) {
      if (x[i] === y[i]) continue;
      var dx = /^\d/.test(x[i]), dy = /^\d/.test(y[i]);
      if (dx && dy) {
        var nx = x[i].replace(/^0+/, ""), ny = y[i].replace(/^0+/, "");
        if (nx.length !== ny.length) return nx.length - ny.length;
        if (nx !== ny) return nx < ny ? -1 : 1;
        continue;
      }
      return x[i] < y[i] ? -1 : 1;
    }
    return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
  }

  // snippet is the text around the first match of a term, cut at word
  // boundaries on both sides.
  function snippet(d, terms) {
    var text = d.s || "";
    if (!d.x) return text;
    var lower = d.x.toLowerCase(), at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i]);
    if (at < 0) return text || cut(d.x, 0, 160);
    return cut(d.x, Math.max(0, at - 50), at + 120);
  }

  function cut(x, from, to) {
    if (from > 0) {
      var sp = x.slice(0, from).search(/\s\S*$/);
      from = sp >= 0 ? sp + 1 : 0;
    }
    if (to < x.length) {
      var end = x.slice(to).search(/\s/);
      to = end >= 0 ? to + end : x.length;
    }
    return (from > 0 ? "… " : "") + x.slice(from, to).trim() + (to < x.length ? " …" : "");
  }

  // marked appends text to parent with each match of the terms in a
  // <mark>, as text nodes: nothing of the index is read as markup.
  function marked(parent, text, terms) {
    var lower = text.toLowerCase(), at = 0;
    while (at < text.length) {
      var best = -1, len = 0;
      for (var i = 0; i < terms.length; i++) {
        var k = lower.indexOf(terms[i], at);
        if (k >= 0 && (best < 0 || k < best || k === best && terms[i].length > len)) { best = k; len = terms[i].length; }
      }
      if (best < 0 || !len) { parent.appendChild(document.createTextNode(text.slice(at))); return; }
      if (best > at) parent.appendChild(document.createTextNode(text.slice(at, best)));
      parent.appendChild(el("mark", "", text.slice(best, best + len)));
      at = best + len;
    }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function select(i) {
    var items = list.children;
    if (!items.length) return;
    selected = (i + items.length) % items.length;
    for (var j = 0; j < items.length; j++) items[j].setAttribute("aria-selected", j === selected ? "true" : "false");
    items[selected].querySelector("a").focus();
  }

  var PAGE = 20, hits = [], terms = [], page = 0, pager = null;

  function run() {
    var q = input.value.trim().toLowerCase();
    selected = -1;
    page = 0;
    hits = [];
    if (!q) { list.textContent = ""; showPager(); count.textContent = docs.length + " documents indexed."; return; }
    terms = q.split(/\s+/);
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], terms, q);
      if (s) hits.push([s, docs[i]]);
    }
    hits.sort(function (a, b) { return b[0] - a[0] || natural(a[1].i, b[1].i); });
    draw();
  }

  // draw shows the current page of the results.
  function draw() {
    list.textContent = "";
    selected = -1;
    var from = page * PAGE, to = Math.min(hits.length, from + PAGE);
    count.textContent = hits.length + (hits.length === 1 ? " result" : " results") +
      (hits.length > PAGE ? ", showing " + (from + 1) + "–" + to : "");
    list.start = from + 1;
    hits.slice(from, to).forEach(function (h) {
      var d = h[1], li = el("li"), a = el("a");
      a.href = href(d.u);
      a.appendChild(el("span", "kind kind-" + d.k, d.k));
      a.appendChild(document.createTextNode(" "));
      var id = el("span", "id");
      marked(id, d.i, terms);
      a.appendChild(id);
      a.appendChild(document.createTextNode(" "));
      marked(a, d.t, terms);
      li.appendChild(a);
      var sn = snippet(d, terms);
      if (sn) { var sp = el("span", "snippet"); marked(sp, sn, terms); li.appendChild(sp); }
      list.appendChild(li);
    });
    showPager();
  }

  // showPager offers the other pages of the results.
  function showPager() {
    if (!pager) {
      pager = el("nav", "pager");
      pager.setAttribute("aria-label", "Pages of results");
      list.parentNode.insertBefore(pager, list.nextSibling);
    }
    pager.textContent = "";
    var pages = Math.ceil(hits.length / PAGE);
    pager.hidden = pages < 2;
    if (pages < 2) return;
    var go = function (label, n, on) {
      var b = el("button", "", label);
      b.type = "button";
      b.disabled = !on;
      b.addEventListener("click", function () { page = n; draw(); pager.querySelector("button:not([disabled])").focus(); });
      return b;
    };
    pager.appendChild(go("← Previous", page - 1, page > 0));
    pager.appendChild(el("p", "", "Page " + (page + 1) + " of " + pages));
    pager.appendChild(go("Next →", page + 1, page < pages - 1));
  }

  input.addEventListener("input", function () {
    run();
    var u = new URL(location.href);
    u.searchParams.set("q", input.value);
    history.replaceState(null, "", u);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); select(0); }
  });
  // Enter goes to the first result. On submit, not on an Enter keydown:
  // phone keyboards and some input methods send no such keydown, and the
  // form would reload this page instead.
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  list.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); select(selected + 1); }
    if (e.key === "ArrowUp") {
      e.preventDefault();
      if (selected <= 0) { selected = -1; input.focus(); } else select(selected - 1);
    }
  });
  var params = new URLSearchParams(location.search);
  if (params.get("q")) input.value = params.get("q");
  run();
})();
