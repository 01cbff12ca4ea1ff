// Rampart's only script, and the page works without it: it shows times in
// the viewer's time zone, asks before destructive form posts, submits
// small filter selects on change, and focuses search on "/".
(function () {
  "use strict";
  var fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (!isNaN(d.getTime())) {
      el.title = el.textContent;
      el.textContent = fmt.format(d);
    }
  });
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });
  // "/" focuses the page's search box, as on most sites with one, unless
  // the viewer is typing somewhere already.
  document.addEventListener("keydown", function (e) {
    var search = document.querySelector("input[aria-keyshortcuts='/']");
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && search && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      search.focus();
      search.select();
    }
  });
  // Pickers: an input with data-pick fills its datalist with suggestions
  // from the server as one types (the server also accepts a plain name).
  document.querySelectorAll("input[data-pick][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (!list || q === asked) {
          return;
        }
        asked = q;
        fetch(input.getAttribute("data-pick") + "?q=" + encodeURIComponent(q), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        }).then(function (r) { return r.ok ? r.json() : []; }).then(function (opts) {
          if (asked !== q) {
            return; // a later keystroke asked again
          }
          list.textContent = "";
          opts.forEach(function (o) {
            var opt = document.createElement("option");
            opt.value = o.value;
            opt.textContent = o.label;
            list.appendChild(opt);
          });
        }).catch(function () {});
      }, 150);
    });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // A list with data-keynav: j and k move the selection, Enter opens the
  // selected row (unless the viewer is typing somewhere).
  var nav = document.querySelector("table[data-keynav]");
  if (nav) {
    var rows = [].slice.call(nav.querySelectorAll("tbody tr[data-href]"));
    var at = -1;
    var pick = function (i) {
      if (!rows.length) {
        return;
      }
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach(function (r, k) {
        r.classList.toggle("selected", k === at);
        if (k === at) {
          r.setAttribute("aria-selected", "true");
        } else {
          r.removeAttribute("aria-selected");
        }
      });
      rows[at].scrollIntoView({ block: "nearest" });
    };
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName)) || e.ctrlKey || e.metaKey || e.altKey) {
        return;
      }
      if (e.key === "j") {
        e.preventDefault();
        pick(at + 1);
      } else if (e.key === "k") {
        e.preventDefault();
        pick(at - 1);
      } else if (e.key === "Enter" && at >= 0) {
        e.preventDefault();
        window.location.href = rows[at].getAttribute("data-href");
      }
    });
  }
})();
