// tracker.js: sorts and filters the tracker table in place. Without it the
// same views are pages of their own (links under "Filter by" and "Sort
// by"); with it the filters combine, the page does not reload, and the
// address (?country=FR&status=unknown&sort=evidence) can be shared.
//
// Each view says which filter or order it is (data-query, "sort=agency"),
// which holds until the reader chooses another. A view cut into pages
// (data-paged) holds only some of its rows, so it is not sorted or
// filtered in place: its filters and sort buttons take the reader to the
// whole table, /tracker/ (data-full), with the view's own filter or order
// and the one chosen.
(function () {
  "use strict";
  var table = document.getElementById("tracker-table");
  if (!table || !table.tBodies.length) return;
  var paged = table.hasAttribute("data-paged");
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var status = document.getElementById("table-status");
  var nav = document.getElementById("filters");
  var facets = ["status", "country", "region", "level", "kind", "vendor", "evidence"];
  var attr = { evidence: "agebucket" };
  var chosen = {};
  var sortKey = "status", sortDir = 1;

  function data(row, name) { return row.getAttribute("data-" + (attr[name] || name)) || ""; }

  // A title sorts as the views and search sort it (Go's package
  // titlesort): by its folded key (data-fold, accents folded, when that
  // differs from the lower-cased title), then the lower-cased title
  // (data-title), then the agency (the row's id), so that ties go as
  // they do on /tracker/sort/agency/.
  function title(r) {
    var t = data(r, "title");
    return [data(r, "fold") || t, t, r.id];
  }
  var keys = {
    status: function (r) { return [Number(data(r, "rank"))].concat(title(r)); },
    agency: function (r) { return title(r); },
    country: function (r) { return [data(r, "countryname"), data(r, "region")].concat(title(r)); },
    level: function (r) { return [data(r, "level"), data(r, "kind")].concat(title(r)); },
    evidence: function (r) { var a = Number(data(r, "age")); return [a < 0 ? 1e9 : a].concat(title(r)); }
  };

  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }

  function matches(row) {
    for (var f in chosen) {
      if (!chosen[f]) continue;
      var v = data(row, f);
      if (f === "vendor") {
        if ((" " + v + " ").indexOf(" " + chosen[f] + " ") < 0) return false;
      } else if (v.toLowerCase() !== chosen[f].toLowerCase()) {
        return false;
      }
    }
    return true;
  }

  function query() {
    var q = [];
    facets.forEach(function (f) { if (chosen[f]) q.push(f + "=" + encodeURIComponent(chosen[f])); });
    if (sortKey !== "status" || sortDir < 0) q.push("sort=" + (sortDir < 0 ? "-" : "") + sortKey);
    return q.length ? "?" + q.join("&") : "";
  }

  // apply shows the rows the filters choose, in the order chosen. served
  // says the rows stand as the page was served: then, if the view's own
  // order and filters are asked for, they are left where they are (a
  // table of 4,000 agencies took seconds to sort and lay out again on
  // every load, found in review).
  function apply(served) {
    if (paged) {
      location.href = table.getAttribute("data-full") + query();
      return;
    }
    var inPlace = served === true && query() === viewQuery;
    var sorted = rows;
    if (!inPlace) {
      // Each row's key is read once, not at each comparison: a table of
      // 40,000 agencies makes some 600,000.
      var key = keys[sortKey] || keys.status;
      sorted = rows.map(function (r) { return { row: r, key: key(r) }; })
        .sort(function (a, b) { return sortDir * compare(a.key, b.key); })
        .map(function (d) { return d.row; });
    }
    var shown = 0, byStatus = {};
    var frag = document.createDocumentFragment();
    sorted.forEach(function (r) {
      var ok = matches(r);
      if (r.hidden === ok) r.hidden = !ok;
      if (ok) {
        shown++;
        byStatus[data(r, "status")] = (byStatus[data(r, "status")] || 0) + 1;
      }
      if (!inPlace) frag.appendChild(r);
    });
    if (!inPlace) tbody.appendChild(frag);
    // The counts by status are those of the agencies shown, where the
    // table lists every agency counted (an earlier date's leaves out
    // those with no fleet on record, data-rows tells).
    Array.prototype.forEach.call(document.querySelectorAll(".status-counts[data-rows='all'] li[id^='st-']"), function (li) {
      var n = li.querySelector("strong");
      if (n) n.textContent = String(byStatus[li.id.slice(3)] || 0);
    });
    if (status) {
      status.textContent = (shown === rows.length ? "Showing all " + rows.length + " agencies." : "Showing " + shown + " of " + rows.length + " agencies.") +
        (ignored.length ? " The address asks for " + ignored.join(" and ") + ", which no agency has: " + (ignored.length > 1 ? "those filters are" : "that filter is") + " left out." : "");
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var k = th.getAttribute("data-sort");
      if (!k) return;
      th.setAttribute("aria-sort", k === sortKey ? (sortDir > 0 ? "ascending" : "descending") : "none");
    });
    // The "Sort by" links say which order is shown.
    Array.prototype.forEach.call(document.querySelectorAll(".sorts a[data-sort]"), function (a) {
      if (a.getAttribute("data-sort") === sortKey) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    if (window.history && history.replaceState) {
      // The view's own filter or order needs no address of its own.
      var q = query();
      history.replaceState(null, "", location.pathname + (q === viewQuery ? "" : q) + location.hash);
    }
  }

  // Filters: each facet's links become a select.
  if (nav) {
    var form = document.createElement("form");
    form.className = "filters tracker-filters";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter the tracker");
    Array.prototype.forEach.call(nav.querySelectorAll("details[data-facet]"), function (d) {
      var name = d.getAttribute("data-facet");
      var label = document.createElement("label");
      var id = "filter-" + name;
      label.setAttribute("for", id);
      label.textContent = d.querySelector("summary").textContent + " ";
      var sel = document.createElement("select");
      sel.id = id;
      sel.name = name;
      var any = document.createElement("option");
      any.value = "";
      any.textContent = "any";
      sel.appendChild(any);
      Array.prototype.forEach.call(d.querySelectorAll("a[data-value]"), function (a) {
        var o = document.createElement("option");
        o.value = a.getAttribute("data-value");
        var count = a.parentNode.querySelector(".count");
        o.textContent = a.textContent + (count ? " (" + count.textContent + ")" : "");
        sel.appendChild(o);
      });
      // A choice made here replaces the address's: what it asked for and
      // was left out is no longer said.
      sel.addEventListener("change", function () { chosen[name] = sel.value; ignored = []; apply(); });
      label.appendChild(sel);
      form.appendChild(label);
    });
    var reset = document.createElement("button");
    reset.type = "reset";
    reset.textContent = "Clear filters";
    form.addEventListener("reset", function () {
      var had = facets.some(function (f) { return chosen[f]; }) || ignored.length > 0;
      chosen = {};
      ignored = [];
      if (had) setTimeout(apply, 0);
    });
    form.appendChild(reset);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    nav.parentNode.replaceChild(form, nav);
  }

  // Sorting: column headers become buttons; the sort links sort in place.
  // On a narrow screen the rows are cards and the header row is hidden
  // (style.css): its buttons leave the tab order, and the sort links do
  // their work.
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;
  var sortButtons = [];
  function focusable() {
    sortButtons.forEach(function (b) { b.tabIndex = narrow && narrow.matches ? -1 : 0; });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var k = th.getAttribute("data-sort");
    if (!k) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "sort";
    b.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(b);
    b.addEventListener("click", function () {
      sortDir = sortKey === k ? -sortDir : 1;
      sortKey = k;
      apply();
    });
    sortButtons.push(b);
  });
  focusable();
  if (narrow) {
    if (narrow.addEventListener) narrow.addEventListener("change", focusable);
    else if (narrow.addListener) narrow.addListener(focusable);
  }
  // A status's count shows the agencies of that status among those the
  // other filters choose, in place, rather than every agency of it.
  Array.prototype.forEach.call(document.querySelectorAll(".status-counts[data-rows='all'] li[id^='st-'] a"), function (a) {
    a.addEventListener("click", function (e) {
      if (paged) return;
      e.preventDefault();
      var v = a.parentNode.id.slice(3), sel = document.getElementById("filter-status");
      chosen.status = v;
      if (sel) {
        for (var i = 0; i < sel.options.length; i++) if (sel.options[i].value === v) sel.selectedIndex = i;
      }
      apply();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".sorts a[data-sort]"), function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      sortKey = a.getAttribute("data-sort");
      sortDir = 1;
      apply();
    });
  });

  // The address says what to show, else the view does; on a view cut into
  // pages, the view does.
  // ignored holds the filters an address asked for that no menu offers
  // (a mistyped link, or a value no agency has any more): they are left
  // out and said so, rather than empty the table under menus that read
  // "any".
  var ignored = [];
  function choose(params) {
    chosen = {};
    ignored = [];
    facets.forEach(function (f) {
      var v = params.get(f);
      var sel = document.getElementById("filter-" + f);
      if (sel) sel.selectedIndex = 0;
      if (!v) return;
      chosen[f] = v;
      if (sel) {
        var found = false;
        for (var i = 0; i < sel.options.length; i++) {
          if (sel.options[i].value.toLowerCase() === v.toLowerCase()) { sel.selectedIndex = i; chosen[f] = sel.options[i].value; found = true; }
        }
        if (!found) {
          delete chosen[f];
          ignored.push(f + " “" + v + "”");
        }
      }
    });
    var s = params.get("sort") || "status";
    sortDir = s.charAt(0) === "-" ? -1 : 1;
    sortKey = s.replace(/^-/, "");
  }
  choose(new URLSearchParams(table.getAttribute("data-query") || ""));
  var viewQuery = query();
  if (paged) {
    // Back from /tracker/, the page may come from the browser's cache
    // with the choice that left it: show the view again.
    window.addEventListener("pageshow", function (e) {
      if (e.persisted) choose(new URLSearchParams(table.getAttribute("data-query") || ""));
    });
    return;
  }
  if (location.search) choose(new URLSearchParams(location.search));
  apply(true);
})();
