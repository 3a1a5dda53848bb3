// productdocs search: the index is a script written at build time
// (search/index.js sets window.PRODUCTDOCS_SEARCH), so search works offline
// and from the file system. Finds by ID, title, summary and text.
(function () {
  "use strict";
  var docs = window.PRODUCTDOCS_SEARCH || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("count");
  var root = "../";
  var fileMode = location.protocol === "file:";
  var selected = -1;

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
