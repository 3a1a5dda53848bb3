// The live reload of `productdocs serve`. The preview adds this script to
// every page it serves; `productdocs build` never does. It listens to the
// server's events: after a rebuild, it reloads the page if the page
// changed (keeping the scroll position) or swaps its stylesheets in place
// if only they did; after a rebuild with errors, it shows them over the
// page. The page's Content-Security-Policy allows no inline style, so the
// overlay is made of elements whose look comes from live.css.
(function () {
  "use strict";

  var SCROLL = "productdocs-scroll";
  var RELOADED = "productdocs-reloaded";
  var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var build = pageBuild();
  var here = [decode(location.pathname).replace(/\/index\.html$/, "/")];
  if (nav && nav.responseStatus === 404) {
    here.push("/404.html");
  }

  function decode(p) {
    try {
      return decodeURIComponent(p);
    } catch (e) {
      return p;
    }
  }

  // The build this page came from: the server names it in the page's
  // Server-Timing header, and in this script as it serves it, for
  // browsers that do not show the header to scripts.
  function pageBuild() {
    var timing = (nav && nav.serverTiming) || [];
    for (var i = 0; i < timing.length; i++) {
      if (timing[i].name === "productdocs") {
        return timing[i].description;
      }
    }
    return "{{build}}";
  }

  function store(key, value) {
    try {
      if (value === null) {
        sessionStorage.removeItem(key);
      } else {
        sessionStorage.setItem(key, value);
      }
    } catch (e) {
      // Storage may be off; the page then reloads at its top.
    }
  }

  function stored(key) {
    try {
      return sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function reload() {
    store(SCROLL, JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }));
    location.reload();
  }

  // Scroll back to where the page was before a reload of ours.
  (function restore() {
    var saved = null;
    try {
      saved = JSON.parse(stored(SCROLL) || "null");
    } catch (e) {}
    if (!saved || saved.path !== location.pathname) {
      return;
    }
    store(SCROLL, null);
    var go = function () {
      window.scrollTo(saved.x, saved.y);
    };
    go();
    window.addEventListener("load", go, { once: true });
  })();

  function sameOrigin(u) {
    return u.origin === location.origin;
  }

  // uses reports whether the page loads one of urls through its elements'
  // attribute attr.
  function uses(selector, attr, urls) {
    var found = false;
    document.querySelectorAll(selector).forEach(function (el) {
      var u = new URL(el.getAttribute(attr), location.href);
      if (sameOrigin(u) && urls.indexOf(decode(u.pathname)) >= 0) {
        found = true;
      }
    });
    return found;
  }

  // swapStyles replaces the stylesheets that changed, without a reload:
  // the new link is added beside the old, which goes once the new has
  // loaded, so the page never shows unstyled.
  function swapStyles(urls, b) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var u = new URL(link.getAttribute("href"), location.href);
      if (!sameOrigin(u) || urls.indexOf(decode(u.pathname)) < 0) {
        return;
      }
      u.searchParams.set("v", b);
      var next = link.cloneNode();
      next.href = u.href;
      var done = function () {
        link.remove();
      };
      next.addEventListener("load", done, { once: true });
      next.addEventListener("error", done, { once: true });
      link.after(next);
    });
  }

  // refreshImages reloads the images that changed.
  function refreshImages(urls, b) {
    document.querySelectorAll("img[src]").forEach(function (img) {
      var u = new URL(img.getAttribute("src"), location.href);
      if (sameOrigin(u) && urls.indexOf(decode(u.pathname)) >= 0) {
        u.searchParams.set("v", b);
        img.src = u.href;
      }
    });
  }

  function onChange(d) {
    hideProblems();
    var urls = d.urls || [];
    var was = build;
    build = d.build;
    var mine = here.some(function (u) {
      return urls.indexOf(u) >= 0;
    });
    if (was === "" || mine || uses("script[src]", "src", urls)) {
      reload();
      return;
    }
    swapStyles(urls, d.build);
    refreshImages(urls, d.build);
  }

  function onHello(d) {
    document.documentElement.setAttribute("data-productdocs-live", d.build || "waiting");
    var late = d.late || [];
    if (d.early && build === d.early && !here.some(function (u) { return late.indexOf(u) >= 0; })) {
      // This page came from the first part of the last rebuild, and the
      // second part did not change it.
      build = d.build;
    }
    if (d.build !== build && stored(RELOADED) !== d.build) {
      // The server has another build than the one this page came from:
      // it restarted, or rebuilt while the page loaded. Reload, once.
      store(RELOADED, d.build);
      reload();
      return;
    }
    if (d.problems) {
      showProblems(d.problems);
    } else {
      hideProblems();
    }
  }

  // The overlay.

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function styles() {
    if (document.querySelector("link[data-productdocs-live]")) {
      return;
    }
    var link = el("link");
    link.rel = "stylesheet";
    link.href = "/_productdocs/live.css";
    link.setAttribute("data-productdocs-live", "");
    document.head.appendChild(link);
  }

  function hideProblems() {
    var old = document.getElementById("productdocs-problems");
    if (old) {
      old.remove();
    }
  }

  function showProblems(p) {
    styles();
    hideProblems();
    var n = p.errors.length + (p.more || 0);
    var box = el("div", "pd-overlay");
    box.id = "productdocs-problems";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "The site has errors");
    var panel = el("div", "pd-panel");
    var head = el("div", "pd-head");
    head.appendChild(el("h2", "pd-title", n === 1 ? "The site has 1 error" : "The site has " + n + " errors"));
    var close = el("button", "pd-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Hide until the next rebuild");
    close.addEventListener("click", hideProblems);
    head.appendChild(close);
    panel.appendChild(head);
    panel.appendChild(el("p", "pd-note", "The page underneath is the last good build. Fix the files and this goes away by itself."));
    p.errors.forEach(function (e) {
      var sec = el("section", "pd-error");
      var where = el("p", "pd-where");
      where.appendChild(el("span", "pd-file", e.file + ":" + e.line + ":" + e.column));
      where.appendChild(document.createTextNode(" "));
      where.appendChild(el("span", "pd-code", e.code));
      sec.appendChild(where);
      sec.appendChild(el("p", "pd-message", e.message));
      if (e.source && e.source.length) {
        var pre = el("pre", "pd-source");
        var width = String(e.source[e.source.length - 1].n).length;
        e.source.forEach(function (l) {
          var row = el("span", l.n === e.line ? "pd-line pd-hit" : "pd-line");
          var num = String(l.n);
          row.appendChild(el("span", "pd-n", " ".repeat(width - num.length) + num + " | "));
          row.appendChild(document.createTextNode(l.text));
          pre.appendChild(row);
          if (l.n === e.line && e.column > 0) {
            pre.appendChild(el("span", "pd-caret", " ".repeat(width + 3 + e.column - 1) + "^"));
          }
        });
        sec.appendChild(pre);
      }
      panel.appendChild(sec);
    });
    if (p.more) {
      panel.appendChild(el("p", "pd-note", "and " + p.more + " more; the terminal lists them all."));
    }
    box.appendChild(panel);
    document.body.appendChild(box);
  }

  // The connection. EventSource reconnects by itself after the server
  // goes away; if it gives up, start again.
  function connect() {
    var es = new EventSource("/_productdocs/events");
    es.addEventListener("hello", function (e) {
      onHello(JSON.parse(e.data));
    });
    es.addEventListener("change", function (e) {
      onChange(JSON.parse(e.data));
    });
    es.addEventListener("problems", function (e) {
      showProblems(JSON.parse(e.data));
    });
    es.addEventListener("error", function () {
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    });
  }
  connect();
})();
