// productdocs: small helpers for every page. No library, no network.
(function () {
  "use strict";
  // Opened from the file system, a link to "story-1/" shows a folder
  // listing instead of the page: point such links at their index.html.
  if (location.protocol === "file:") {
    var fix = function (a) {
      var h = a.getAttribute("href");
      if (!h || /^[a-z][a-z0-9+.-]*:/i.test(h) || h.charAt(0) === "#") return;
      var i = h.search(/[?#]/), path = i < 0 ? h : h.slice(0, i), rest = i < 0 ? "" : h.slice(i);
      if (path === "" ) return;
      if (path.slice(-1) === "/") a.setAttribute("href", path + "index.html" + rest);
    };
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), fix);
    document.querySelectorAll("form[action]").forEach(function (f) {
      var act = f.getAttribute("action");
      if (act.slice(-1) === "/") f.setAttribute("action", act + "index.html");
    });
  }
  // "/" focuses the search box, as on many documentation sites.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    var box = document.querySelector("#q") || document.querySelector(".quick-search input");
    if (box) { e.preventDefault(); box.focus(); }
  });
})();
