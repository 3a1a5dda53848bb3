// productdocs views: the filters and grouping of the backlog, the roadmap
// and the trace page. The filter lives in the URL query, so a view can be
// bookmarked and sent: each parameter holds values separated by commas,
// compared ignoring case, and an item shows when, for every parameter
// set, one of its own values is one of those asked for (text: when every
// word is in its ID, title or summary; hide: when its status is not one
// of those). Without script the page shows everything, and the controls
// stay hidden. No library, no network: it works from the file system and
// under the site's Content-Security-Policy.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) return;
  var fileMode = location.protocol === "file:";
  var root = form.getAttribute("data-root") || "";
  var todayQuarter = (form.getAttribute("data-today-quarter") || "").toLowerCase();
  var count = form.querySelector(".filter-count");

  function split(v) {
    var out = [];
    String(v || "").split(",").forEach(function (s) {
      s = s.trim().toLowerCase();
      if (s) out.push(s);
    });
    return out;
  }

  // The controls' names are the parameters the view knows.
  var names = [];
  Array.prototype.forEach.call(form.elements, function (el) {
    if (el.name && names.indexOf(el.name) < 0) names.push(el.name);
  });

  function readURL() {
    var q = new URLSearchParams(location.search), f = {};
    names.forEach(function (n) {
      var vs = split(q.getAll(n).join(","));
      if (n === "quarter") vs = vs.map(function (v) { return v === "now" ? todayQuarter : v; });
      if (vs.length) f[n] = vs;
    });
    return f;
  }

  // The controls show the URL's filter.
  function fill() {
    var q = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      var v = q.getAll(el.name).join(",");
      if (el.type === "checkbox") el.checked = split(v).indexOf(el.value.toLowerCase()) >= 0;
      else if (el.tagName === "SELECT") {
        var want = v.toLowerCase(), hit = false;
        Array.prototype.forEach.call(el.options, function (o) { if (o.value.toLowerCase() === want) { el.value = o.value; hit = true; } });
        if (!hit) el.value = "";
      } else el.value = v;
    });
  }

  // The URL takes the controls' filter; parameters of no control are kept.
  function writeURL() {
    var q = new URLSearchParams(location.search);
    names.forEach(function (n) { q.delete(n); });
    names.forEach(function (n) {
      var vs = [];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== n) return;
        if (el.type === "checkbox") { if (el.checked) vs.push(el.value); }
        else if (el.value.trim()) vs.push(el.value.trim());
      });
      if (vs.length) q.set(n, vs.join(","));
    });
    var s = q.toString().replace(/%2C/gi, ",");
    history.replaceState(null, "", location.pathname + (s ? "?" + s : "") + location.hash);
  }

  // matches reports whether an item, whose values for a parameter get
  // returns (lower-cased), passes the filter f.
  function matches(get, f) {
    for (var n in f) {
      if (n === "group") continue;
      var want = f[n];
      if (n === "hide") {
        if (want.indexOf(get("status")[0] || "") >= 0) return false;
        continue;
      }
      if (n === "text") {
        var text = get("text").join(" ");
        for (var i = 0; i < want.length; i++) {
          var words = want[i].split(/\s+/);
          for (var k = 0; k < words.length; k++) if (text.indexOf(words[k]) < 0) return false;
        }
        continue;
      }
      var have = get(n), ok = false;
      for (var j = 0; j < have.length && !ok; j++) ok = want.indexOf(have[j]) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  // An element's values are its data- attributes, "|" between several.
  function attrGetter(el) {
    return function (n) {
      if (n === "text") return [el.textContent.toLowerCase()];
      var v = el.getAttribute("data-" + n);
      return v ? v.toLowerCase().split("|") : [];
    };
  }

  function say(shown, total, what) {
    if (count) count.textContent = shown === total ? "Showing all " + total + " " + what + "." : "Showing " + shown + " of " + total + " " + what + ".";
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function href(u) {
    var h = root + u.split("/").map(encodeURIComponent).join("/");
    if (h === "") h = "./";
    if (fileMode && (u === "" || u.slice(-1) === "/")) h += "index.html";
    return h;
  }

  function statusLabel(s) {
    if (s === "in-progress") return "In progress";
    return s ? s.charAt(0).toUpperCase() + s.slice(1) : "";
  }

  // The elements that the page's filter shows or hides.
  // It counts each ID once: the roadmap shows an initiative on the board
  // and on the timeline.
  function filterElements(sel, f) {
    var shown = {}, all = {}, ns = 0, na = 0;
    Array.prototype.forEach.call(document.querySelectorAll(sel), function (el) {
      var ok = matches(attrGetter(el), f), id = el.getAttribute("data-id") || "#" + na;
      el.hidden = !ok;
      if (!all[id]) { all[id] = true; na++; }
      if (ok && !shown[id]) { shown[id] = true; ns++; }
    });
    return [ns, na];
  }

  // The roadmap's timeline: lanes of objectives with nothing shown are
  // marked and named.
  function lanes() {
    var out = document.getElementById("lane-summary");
    if (!out) return;
    var empty = [];
    Array.prototype.forEach.call(document.querySelectorAll("tr.lane"), function (tr) {
      var any = tr.querySelector("[data-id]:not([hidden])");
      tr.classList.toggle("lane-empty", !any);
      if (!any && tr.getAttribute("data-lane")) empty.push(tr.getAttribute("data-lane"));
    });
    out.hidden = false;
    out.classList.toggle("some-empty", empty.length > 0);
    out.textContent = empty.length ? "Objectives with nothing shown: " + empty.join(", ") + "." : "Every objective has something shown.";
  }

  // The backlog: its whole list, from backlog/items.js, drawn as rows.
  var data = window.PRODUCTDOCS_BACKLOG;
  var view = form.getAttribute("data-filters");
  var prio = { must: 0, should: 1, could: 2, wont: 3, "": 4 };
  var statuses = { proposed: 0, planned: 1, "in-progress": 2, done: 3, dropped: 4 };

  function itemGetter(it) {
    var refs = data.refs;
    return function (n) {
      switch (n) {
        case "status": return [it[4]];
        case "kind": return [it[1]];
        case "priority": return it[5] ? [it[5]] : [];
        case "owner": return it[8] ? [it[8].toLowerCase()] : [];
        case "tag": return it[9].map(function (t) { return t.toLowerCase(); });
        case "epic": return it[10] >= 0 ? [refs[it[10]][0].toLowerCase()] : [];
        case "initiative": return it[11] >= 0 ? [refs[it[11]][0].toLowerCase()] : [];
        case "release": return it[12].map(function (r) { return refs[r][0].toLowerCase(); });
        case "text": return [(it[0] + " " + it[2] + " " + it[13]).toLowerCase()];
      }
      return [];
    };
  }

  function refLink(i, crossing) {
    var r = data.refs[i];
    return '<a class="doc kind-' + esc(r[3]) + (crossing ? ' crossing" title="In the Product Manager\'s strategy section' : "") + '" href="' + esc(href(r[2])) +
      '"><span class="id">' + esc(r[0]) + "</span> " + esc(r[1]) + "</a>";
  }

  function row(it) {
    var rels = it[12].map(function (r) { return refLink(r, true); }).join(", ");
    return '<tr data-id="' + esc(it[0]) + '" class="kind-' + esc(it[1]) + '"><td>' + (it[6] || "—") +
      '</td><td><span class="kind kind-' + esc(it[1]) + '">' + esc(it[1]) + '</span> <a class="doc kind-' + esc(it[1]) + '" href="' + esc(href(it[3])) +
      '"><span class="id">' + esc(it[0]) + "</span> " + esc(it[2]) + "</a></td><td>" +
      '<span class="status status-' + esc(it[4]) + '">' + esc(statusLabel(it[4])) + "</span></td><td>" + (esc(it[5]) || "—") +
      "</td><td>" + (it[7] === null ? "—" : it[7]) + "</td><td>" + (esc(it[8]) || "—") + "</td><td>" + (rels || "—") +
      "</td><td>" + (it[11] >= 0 ? refLink(it[11], true) : "—") + "</td></tr>";
  }

  // groupsOf returns [key, label HTML, order] for each group an item is in.
  function groupsOf(it, by) {
    switch (by) {
      case "epic": return it[10] >= 0 ? [[it[10], refLink(it[10], false), it[10]]] : [["", "No epic", 1e9]];
      case "release":
        return it[12].length ? it[12].map(function (r) { return [r, refLink(r, true), r]; }) : [["", "No release", 1e9]];
      case "status": return [[it[4], esc(statusLabel(it[4])), it[4] in statuses ? statuses[it[4]] : 9]];
      case "priority": return [[it[5], it[5] ? esc(it[5]) : "No priority", it[5] in prio ? prio[it[5]] : 5]];
      case "owner": return [[it[8], it[8] ? esc(it[8]) : "No owner", it[8] ? it[8].toLowerCase() : "\uffff"]];
    }
    return null;
  }

  // A list draws at most this many rows, and offers the next as many: a
  // table of the 8,000 items of a large backlog takes seconds to lay out,
  // and one of 500 rows half a second. As many as the page's own list
  // (ListPageSize), so that the first drawing costs no more than the
  // page did. The filter and the counts cover every item.
  var STEP = 100, limit = STEP;

  function drawBacklog(f) {
    var table = document.querySelector("#ranked table.backlog");
    if (!table) return [0, 0];
    var by = (f.group || [])[0] || "", items = data.items, hits = [];
    if (["epic", "release", "status", "owner", "priority"].indexOf(by) < 0) by = "";
    for (var i = 0; i < items.length; i++) if (matches(itemGetter(items[i]), f)) hits.push(i);
    var html = [], drawn = 0;
    if (!by) {
      html.push("<tbody>");
      for (var k = 0; k < hits.length && drawn < limit; k++, drawn++) html.push(row(items[hits[k]]));
      html.push("</tbody>");
    } else {
      var groups = {}, order = [];
      hits.forEach(function (i) {
        groupsOf(items[i], by).forEach(function (g) {
          var key = "k" + g[0];
          if (!groups[key]) { groups[key] = { label: g[1], order: g[2], rows: [] }; order.push(key); }
          groups[key].rows.push(i);
        });
      });
      order.sort(function (a, b) {
        var x = groups[a].order, y = groups[b].order;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      for (var o = 0; o < order.length && drawn < limit; o++) {
        var g = groups[order[o]];
        html.push('<tbody class="group"><tr class="group-row"><th colspan="8" scope="colgroup">' + g.label + ' <span class="n">' + g.rows.length +
          (g.rows.length === 1 ? " item" : " items") + "</span></th></tr>");
        for (var r = 0; r < g.rows.length && drawn < limit; r++, drawn++) html.push(row(items[g.rows[r]]));
        html.push("</tbody>");
      }
    }
    Array.prototype.forEach.call(table.querySelectorAll("tbody"), function (b) { b.remove(); });
    table.insertAdjacentHTML("beforeend", html.join(""));
    var pager = document.querySelector("#ranked nav.pager");
    if (pager) pager.hidden = true;
    var none = document.getElementById("ranked-none");
    if (none) none.hidden = hits.length > 0;
    more(drawn < hits.length, drawn, hits.length, "#ranked");
    return [hits.length, items.length];
  }

  // more offers the rows past the limit, after the table in the section sel.
  var moreButton = null;
  function more(left, drawn, total, sel) {
    if (!moreButton) {
      moreButton = document.createElement("button");
      moreButton.type = "button";
      moreButton.className = "more-rows";
      moreButton.addEventListener("click", function () { limit += STEP; show(); });
      var sc = document.querySelector(sel + " .scroll");
      if (sc) sc.parentNode.insertBefore(moreButton, sc.nextSibling);
    }
    moreButton.hidden = !left;
    moreButton.textContent = "Showing " + drawn + " of " + total + ": show " + Math.min(STEP, total - drawn) + " more";
  }

  function fbGetter(it) {
    return function (n) {
      switch (n) {
        case "kind": return ["feedback"];
        case "status": return [it[3]];
        case "owner": return it[4] ? [it[4].toLowerCase()] : [];
        case "tag": return it[5].map(function (t) { return t.toLowerCase(); });
        case "state": return [it[6]];
        case "persona": return it[7].map(function (p) { return p.toLowerCase(); });
        case "source": return it[8] ? [it[8].toLowerCase()] : [];
        case "release": return [];
        case "text": return [(it[0] + " " + it[1] + " " + it[8]).toLowerCase()];
      }
      return [];
    };
  }

  var stateLabels = { none: "Nothing yet", planned: "Planned", "in-progress": "In progress", shipped: "Shipped" };

  // drawFeedback draws the whole feedback list from the data, as the
  // page's template draws a page of it.
  function drawFeedback(f) {
    var ul = document.querySelector("#feedback ul.inbox");
    if (!ul || !data.feedback) return filterElements("#feedback [data-id]", f);
    var html = [], shown = 0;
    data.feedback.forEach(function (it) {
      if (!matches(fbGetter(it), f)) return;
      if (++shown > limit) return;
      var by = it[11].map(function (k) {
        var x = data.items[k];
        return '<a href="' + esc(href(x[3])) + '">' + esc(x[0]) + "</a>";
      }).join(", ");
      html.push('<li data-id="' + esc(it[0]) + '"><a class="doc kind-feedback" href="' + esc(href(it[2])) + '"><span class="id">' + esc(it[0]) + "</span> " + esc(it[1]) +
        '</a> <span class="source">' + esc(it[8]) + (it[9] ? " · " + esc(it[9]) : "") + '</span>\n<span class="state state-' + esc(it[6]) + '">' +
        esc(stateLabels[it[6]] || it[6]) + (it[10] ? " in " + esc(it[10]) : "") + "</span>" + (by ? ' <span class="addressed">by ' + by + "</span>" : "") + "</li>");
    });
    ul.innerHTML = html.join("");
    var pager = document.querySelector("#feedback nav.pager");
    if (pager) pager.hidden = true;
    var note = document.getElementById("feedback-more");
    if (note) {
      note.hidden = shown <= limit;
      note.textContent = "Showing " + Math.min(shown, limit) + " of " + shown + " matching; narrow the filter to see the rest, or show more rows above.";
    }
    return [shown, data.feedback.length];
  }

  // The trace page's warnings: all of them, from trace/warnings.js, drawn
  // as the rows of its table.
  var warnings = window.PRODUCTDOCS_WARNINGS;

  function warningGetter(w) {
    return function (n) {
      switch (n) {
        case "code": return [w[3].toLowerCase()];
        case "section": return [w[5]];
        case "owner": return w[6] ? [w[6].toLowerCase()] : [];
        case "text": return [(w[0] + " " + w[4] + " " + w[7] + " " + w[8]).toLowerCase()];
      }
      return [];
    };
  }

  function warningRow(w) {
    var where = w[7] ? '<a class="doc kind-' + esc(w[10]) + '" href="' + esc(href(w[9])) + '"><span class="id">' + esc(w[7]) + "</span> " + esc(w[8]) + "</a>" : esc(w[0]);
    var code = "<code>" + esc(w[3]) + "</code>";
    if (warnings.checks) code = '<a href="' + esc(href(warnings.checks)) + "#" + esc(w[3]) + '">' + code + "</a>";
    return '<tr data-code="' + esc(w[3]) + '" data-owner="' + esc(w[6]) + '" data-section="' + esc(w[5]) + '"><td>' + where + "<br><small>" +
      esc(w[0] + ":" + w[1] + ":" + w[2]) + "</small></td><td>" + code + "</td><td>" + esc(w[4]) + "</td></tr>";
  }

  function drawWarnings(f) {
    var tbody = document.querySelector("#warnings-list table.warnings tbody");
    if (!tbody) return filterElements("tr[data-code]", f);
    var html = [], shown = 0;
    warnings.rows.forEach(function (w) {
      if (!matches(warningGetter(w), f)) return;
      if (++shown <= limit) html.push(warningRow(w));
    });
    tbody.innerHTML = html.join("");
    var pager = document.querySelector("#warnings-list nav.pager");
    if (pager) pager.hidden = true;
    var none = document.getElementById("warnings-none");
    if (none) none.hidden = shown > 0;
    more(shown > limit, Math.min(shown, limit), shown, "#warnings-list");
    return [shown, warnings.rows.length];
  }

  // The controls suggest the epics, initiatives and releases of the data,
  // from when the form is first used: two thousand options of a large
  // backlog would cost its first drawing a tenth of a second.
  var suggested = false;
  function suggest() {
    if (suggested) return;
    suggested = true;
    Array.prototype.forEach.call(form.querySelectorAll("datalist[data-kind]"), function (dl) {
      var k = dl.getAttribute("data-kind"), html = [];
      data.refs.forEach(function (r) {
        if (r[3] === k) html.push('<option value="' + esc(r[0]) + '">' + esc(r[1]) + "</option>");
      });
      dl.innerHTML = html.join("");
    });
  }

  function apply() {
    try { show(); } finally {
      // The measurement of bench/cmd/viewtime reads this mark: when the
      // view first shows its filter, the page is ready to work in.
      if (window.performance && performance.mark) performance.mark("views-applied");
    }
  }

  function show() {
    var f = readURL(), n;
    if (view === "backlog") {
      var a = data ? drawBacklog(f) : filterElements("#ranked [data-id]", f) || [0, 0];
      var b = data ? drawFeedback(f) : filterElements("#feedback [data-id]", f);
      n = [a[0] + b[0], a[1] + b[1]];
      say(n[0], n[1], "items");
      return;
    }
    n = view === "trace" && warnings ? drawWarnings(f) : filterElements(form.getAttribute("data-items") || "[data-id]", f);
    say(n[0], n[1], form.getAttribute("data-what") || "items");
    if (view === "roadmap") lanes();
  }

  var timer = 0;
  function changed(e) {
    clearTimeout(timer);
    var later = e && e.target && e.target.type === "text";
    timer = setTimeout(function () { limit = STEP; writeURL(); apply(); }, later ? 150 : 0);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (e) { e.preventDefault(); limit = STEP; writeURL(); apply(); });
  form.addEventListener("reset", function () { setTimeout(function () { limit = STEP; writeURL(); apply(); }, 0); });
  fill();
  form.hidden = false;
  if (data && view === "backlog") form.addEventListener("focusin", suggest);
  apply();
})();
