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
})();
