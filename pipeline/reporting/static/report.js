// The letters of `imr report`: pages of the embedded JSON blob (#report-data), filters, an index.
// Letter texts arrive already marked up (pipeline/highlight.py, the one place that marks up text);
// this script only inserts them when a letter is opened, so a page of 200 letters stays light.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var L = DATA.letters, LABELS = DATA.labels, PAGE = DATA.pageSize;
  var byId = {}; L.forEach(function (l, i) { byId[l.id] = i; });
  var state = { filtered: L.map(function (_, i) { return i; }), page: 0 };
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function $(id) { return document.getElementById(id); }
  function checked(id) { var box = $(id); return !!(box && box.checked); }

  function decision(d) { return '<span class="dec ' + esc(d || "none") + '">' + esc(d || "none") + "</span>"; }
  function prob(item, r) { var p = item.p ? item.p[LABELS.indexOf(r)] : null; return p != null ? " " + p.toFixed(2) : ""; }
  // Predicted reasons (coloured by agreement when there is gold), then gold's missed ones.
  function reasonsCell(item) {
    var chips = [], gold = item.g ? (item.g.dec === "upheld" ? item.g.rs : []) : null;
    item.rs.forEach(function (r) {
      var cls = gold ? (gold.indexOf(r) >= 0 ? " tp" : " fp") : "";
      chips.push('<span class="chip' + cls + '" title="' + (cls === " fp" ? "not in gold" : "predicted") + '">' + esc(r) + prob(item, r) + "</span>");
    });
    if (gold) gold.forEach(function (r) {
      if (item.rs.indexOf(r) < 0) chips.push('<span class="chip fn" title="in gold, not predicted">' + esc(r) + prob(item, r) + "</span>");
    });
    return chips.join("") || '<span class="small">—</span>';
  }
  function scoreBars(item) {
    if (!item.p) return "";
    var rows = LABELS.map(function (l, j) { return [l, item.p[j] || 0]; }).sort(function (a, b) { return b[1] - a[1]; });
    return '<details><summary class="small">all scores</summary><table class="bars">' + rows.map(function (r) {
      return "<tr><td>" + esc(r[0]) + '</td><td><span class="bar" style="width:' + Math.round(r[1] * 120) + 'px"></span> ' + r[1].toFixed(3) + "</td></tr>";
    }).join("") + "</table></details>";
  }
  function renderLetter(i) {
    var l = L[i], h = ['<article class="letter" id="letter-' + esc(l.id) + '" data-letter-id="' + esc(l.id) + '">'];
    h.push("<h3>" + esc(l.id) + '<span class="meta">' + esc(l.fmt || "") + (l.hdr ? " · " + esc(l.hdr) : "") + " · " + l.items.length + " item(s) · " + l.ents + " entities</span></h3>");
    if (l.err) h.push('<div class="error">' + esc(l.err) + "</div>");
    (l.warn || []).forEach(function (w) { h.push('<div class="warn">warning: ' + esc(w) + "</div>"); });
    if (l.items.length) {
      h.push('<table class="items"><thead><tr><th>#</th><th>service</th><th>decision</th>' + (DATA.gold ? "<th>gold</th>" : "") + "<th>reasons (probability)</th><th>scores</th></tr></thead><tbody>");
      l.items.forEach(function (it, n) {
        var g = DATA.gold ? "<td>" + (it.g ? decision(it.g.dec) : '<span class="small">no gold item</span>') + "</td>" : "";
        h.push('<tr class="item"><td>' + (n + 1) + '</td><td class="svc">' + esc(it.svc) + "</td><td>" + decision(it.dec) + "</td>" + g + "<td>" + reasonsCell(it) + "</td><td>" + scoreBars(it) + "</td></tr>");
      });
      h.push("</tbody></table>");
    }
    (l.gonly || []).forEach(function (g) {
      h.push('<div class="warn">gold item not found: ' + esc(g.svc) + " (" + esc(g.dec) + (g.rs.length ? ": " + esc(g.rs.join(", ")) : "") + ")</div>");
    });
    h.push('<details class="body"' + (state.open ? " open" : "") + ' data-i="' + i + '"><summary class="small">letter text (' + l.n + ' characters)</summary><div class="text"></div></details>');
    h.push("</article>");
    return h.join("");
  }
  function fillText(det) {
    var box = det.querySelector(".text");
    if (det.open && !box.getAttribute("data-done")) {
      box.innerHTML = L[Number(det.getAttribute("data-i"))].html;
      box.setAttribute("data-done", "1");
    }
  }
  function pager() {
    var pages = Math.max(1, Math.ceil(state.filtered.length / PAGE)), h = [];
    h.push('<button data-p="' + (state.page - 1) + '"' + (state.page <= 0 ? " disabled" : "") + ">‹ prev</button>");
    var shown = {};
    [0, state.page - 2, state.page - 1, state.page, state.page + 1, state.page + 2, pages - 1].forEach(function (p) {
      if (p >= 0 && p < pages && !shown[p]) { shown[p] = 1; h.push('<button data-p="' + p + '"' + (p === state.page ? ' disabled style="font-weight:bold"' : "") + ">" + (p + 1) + "</button>"); }
    });
    h.push('<button data-p="' + (state.page + 1) + '"' + (state.page >= pages - 1 ? " disabled" : "") + ">next ›</button>");
    h.push('<span class="small"> page ' + (state.page + 1) + " of " + pages + "</span>");
    return h.join("");
  }
  function render() {
    var from = state.page * PAGE, idx = state.filtered.slice(from, from + PAGE);
    $("letters").innerHTML = idx.map(renderLetter).join("") || '<p class="small">No letter matches.</p>';
    $("index").innerHTML = idx.map(function (i) {
      var l = L[i], up = l.items.some(function (it) { return it.dec === "upheld"; });
      return '<a href="#letter=' + encodeURIComponent(l.id) + '" data-id="' + esc(l.id) + '" class="' + (l.err ? "bad" : up ? "up" : "") + '">' + esc(l.id) + "</a>";
    }).join("");
    $("pager-top").innerHTML = $("pager-bottom").innerHTML = pager();
    $("count").textContent = state.filtered.length + " of " + L.length + " letters" + (DATA.total > L.length ? " shown (" + DATA.total + " in the run)" : "");
    Array.prototype.forEach.call(document.querySelectorAll("details.body"), function (d) {
      fillText(d); d.addEventListener("toggle", function () { fillText(d); });
    });
  }
  function applyFilter() {
    var q = $("search").value.trim().toLowerCase(), dec = $("f-decision").value, rsn = $("f-reason").value;
    var errs = checked("f-errors"), diff = checked("f-diff");
    state.filtered = [];
    L.forEach(function (l, i) {
      if (errs && !l.err) return;
      if (q && l.id.toLowerCase().indexOf(q) < 0 && !l.items.some(function (it) { return it.svc.toLowerCase().indexOf(q) >= 0; })) return;
      if (dec && !l.items.some(function (it) { return it.dec === dec; })) return;
      if (rsn && !l.items.some(function (it) { return it.rs.indexOf(rsn) >= 0 || (it.g && it.g.rs.indexOf(rsn) >= 0); })) return;
      if (diff && !l.dis) return;
      state.filtered.push(i);
    });
    state.page = 0; render();
  }
  function clearFilters() {
    $("search").value = ""; $("f-decision").value = ""; $("f-reason").value = "";
    ["f-errors", "f-diff"].forEach(function (id) { if ($(id)) $(id).checked = false; });
    applyFilter();
  }
  function goTo(id) {
    if (!(id in byId)) return;  // a letter outside the sample of a large run
    var at = state.filtered.indexOf(byId[id]);
    if (at < 0) { clearFilters(); at = state.filtered.indexOf(byId[id]); }
    var page = Math.floor(at / PAGE);
    if (page !== state.page) { state.page = page; render(); }
    var el = document.getElementById("letter-" + id);
    if (el) { var d = el.querySelector("details.body"); if (d && !d.open) { d.open = true; fillText(d); } el.scrollIntoView(); }
  }
  function fromHash() {
    var m = /^#letter=(.+)$/.exec(location.hash);
    if (m) goTo(decodeURIComponent(m[1]));
  }

  state.open = L.length <= 50;
  var timer = null;
  $("search").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(applyFilter, 150); });
  ["f-decision", "f-reason", "f-errors", "f-diff"].forEach(function (id) { if ($(id)) $(id).addEventListener("change", applyFilter); });
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t.tagName === "BUTTON" && t.hasAttribute("data-p")) { state.page = Number(t.getAttribute("data-p")); render(); $("letters-section").scrollIntoView(); }
  });
  $("expand").addEventListener("click", function () { state.open = true; Array.prototype.forEach.call(document.querySelectorAll("details.body"), function (d) { d.open = true; fillText(d); }); });
  $("collapse").addEventListener("click", function () { state.open = false; Array.prototype.forEach.call(document.querySelectorAll("details.body"), function (d) { d.open = false; }); });
  window.addEventListener("hashchange", fromHash);
  render();
  fromHash();
  var status = $("js-status");
  status.textContent = "ready";
  status.setAttribute("data-ready", window.__reportErrors.length ? "error" : "ok");
  document.body.setAttribute("data-report-ready", "1");
})();
