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

  // u is a page's URL from the site root, escaped when the index was
  // written: it goes into the href as it is, never escaped again.
  function href(u) {
    var h = root + u;
    if (fileMode && (u === "" || u.slice(-1) === "/")) h += "index.html";
    return h;
  }

  function score(d, terms, q) {
    var id = d.i.toLowerCase(), title = d.t.toLowerCase();
    if (id === q) return 1000;
    var s = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], hit = 0;
      if (id.indexOf(t) === 0) hit = 100;
      else if (id.indexOf(t) >= 0) hit = 60;
      if (title.indexOf(t) >= 0) hit = Math.max(hit, title.indexOf(t) === 0 ? 50 : 40);
      if (!hit && d.s && d.s.toLowerCase().indexOf(t) >= 0) hit = 20;
      if (!hit && d.x && d.x.toLowerCase().indexOf(t) >= 0) hit = 10;
      if (!hit) return 0;
      s += hit;
    }
    return s;
  }

  function snippet(d, term) {
    var text = d.s || d.x || "";
    if (d.x && term) {
      var at = d.x.toLowerCase().indexOf(term);
      if (at >= 0) text = (at > 40 ? "…" : "") + d.x.slice(Math.max(0, at - 40), at + 120) + "…";
    }
    return text;
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

  function run() {
    var q = input.value.trim().toLowerCase();
    list.textContent = "";
    selected = -1;
    if (!q) { count.textContent = docs.length + " documents indexed."; return; }
    var terms = q.split(/\s+/), hits = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], terms, q);
      if (s) hits.push([s, docs[i]]);
    }
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1].i < b[1].i ? -1 : 1); });
    count.textContent = hits.length + (hits.length === 1 ? " result" : " results") + (hits.length > 100 ? ", showing 100" : "");
    hits.slice(0, 100).forEach(function (h) {
      var d = h[1], li = el("li"), a = el("a");
      a.href = href(d.u);
      a.appendChild(el("span", "kind kind-" + d.k, d.k));
      a.appendChild(document.createTextNode(" "));
      a.appendChild(el("span", "id", d.i));
      a.appendChild(document.createTextNode(" " + d.t));
      li.appendChild(a);
      var sn = snippet(d, terms[0]);
      if (sn) li.appendChild(el("span", "snippet", sn));
      list.appendChild(li);
    });
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
