/* parkgeo map runtime: styles, tooltips, popups and panels built from data.
 * Every value from the data goes through esc() before it reaches innerHTML (Leaflet tooltips,
 * popups, the search list and the side panels all set innerHTML). */
var PG = (function () {
  "use strict";
  var S = {}, P = {}, K = {}, C = {}, T = [], layers = [];

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"'`=\/]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }
  function fmt(v, pct) {
    if (v === null || v === undefined || v === "" || (typeof v === "number" && isNaN(v))) {
      return "—";
    }
    if (typeof v !== "number") { return esc(v); }
    if (pct) { return (v * 100).toLocaleString(undefined, {maximumFractionDigits: 1}) + "%"; }
    return v.toLocaleString(undefined, {maximumFractionDigits: 2});
  }
  function met(v) {
    if (v === true) { return '<span class="pg-met">✓ ' + esc(S.met) + "</span>"; }
    if (v === false) { return '<span class="pg-notmet">✗ ' + esc(S.not_met) + "</span>"; }
    return '<span class="pg-unknown">' + esc(S.unknown) + "</span>";
  }
  function row(label, value) {
    return "<tr><th>" + esc(label) + "</th><td>" + value + "</td></tr>";
  }
  var SHARES = {high_tech_va_share: 1, rd_share: 1};
  /* the decision label of each kind of feature */
  var DECISION = {main: "main", zone: "zone", sub: "sub_zone", exit: "exit",
                  excluded: "excluded"};
  function decision(p) { return esc(S["decision_" + DECISION[p.k]] || p.k); }
  function indicatorRows(ind) {
    var out = "";
    if (!ind) { return out; }
    Object.keys(ind).forEach(function (k) {
      out += row(S["f_" + k], fmt(ind[k], SHARES[k]));
    });
    return out;
  }
  function platformTable(pid) {
    var p = P[pid];
    if (!p) { return ""; }
    var out = '<table class="pg-table">' + row(S.f_platform, esc(p.name)) +
      row(S.f_county, esc(p.county)) + row(S.f_n_sub_zones, fmt(p.n_sub_zones)) +
      indicatorRows(p.ind) + "</table>";
    if (p.targets && Object.keys(p.targets).length) {
      out += '<div class="pg-sub">' + esc(S.targets) + '</div><table class="pg-table">';
      Object.keys(p.targets).forEach(function (k) { out += row(S[k], met(p.targets[k])); });
      out += "</table>";
    }
    return out;
  }
  function tooltip(p) {
    var k = p.k, out = "<b>" + esc(p.n) + "</b>";
    if (k === "county") { return out; }
    if (k === "protected") { return out + "<br>" + esc(S.f_kind) + ": " + esc(p.kind); }
    if (k === "plot") {
      return out + "<br>" + esc(S.f_area_mu) + ": " + fmt(p.area) + "<br>" + esc(S.f_land_use) +
        ": " + esc(p.use) + "<br>" + esc(S.f_status) + ": " + esc(S["status_" + p.st] || p.st) +
        "<br>" + esc(S.f_price) + ": " + fmt(p.price);
    }
    if (k === "link") { return out; }
    /* measured developable land (parkgeo space): no decision, its measured mu */
    if (k === "developable") {
      return out + (p.m === null || p.m === undefined ? "" :
        "<br>" + esc(S.f_developable_mu) + ": " + fmt(p.m));
    }
    out += "<br>" + esc(S.f_county) + ": " + esc(p.co) + (p.t ? " / " + esc(p.t) : "");
    out += "<br>" + esc(S.f_decision) + ": " + decision(p);
    if (p.p && P[p.p]) { out += "<br>" + esc(S.f_platform) + ": " + esc(P[p.p].name); }
    if (p.r) { out += "<br>" + esc(S.f_reason) + ": " + esc(p.r); }
    return out;
  }
  var NO_POPUP = {county: 1, link: 1, protected: 1, developable: 1};
  function popup(p) {
    if (NO_POPUP[p.k]) { return null; }
    var out = '<div class="pg-popup"><div class="pg-head">' + esc(p.n) + "</div>";
    if (p.k === "plot") { return out + tooltip(p) + "</div>"; }
    out += '<table class="pg-table">' + row(S.f_decision, decision(p));
    if (p.r) { out += row(S.f_reason, esc(p.r)); }
    out += indicatorRows(p.ind) + "</table>";
    if (p.p) { out += platformTable(p.p); }
    /* a page may add to a platform's popup (the investment map: a button to its card) */
    if (p.p && C.popupExtra) { out += C.popupExtra(p.p); }
    return out + "</div>";
  }
  function style(f) {
    var p = f.properties, k = K[p.k] || {};
    var colour = p.c || k.color || "#333";
    return {
      color: k.color || colour, weight: k.weight, dashArray: k.dash, opacity: 1,
      fillColor: k.fill || colour, fillOpacity: k.fill_opacity,
      fill: k.fill_opacity > 0
    };
  }
  /* tooltips where a pointer hovers, or where there is no popup: on a touch screen a tap opens
     the popup, which says all the tooltip says, and a tooltip left behind would sit under it */
  var HOVER = !(window.matchMedia && window.matchMedia("(hover: none)").matches);
  /* popups no wider than a phone's screen and no taller than most of it (they scroll) */
  function popupOptions(width) {
    var w = window.innerWidth || 1000, h = window.innerHeight || 800;
    return {maxWidth: Math.min(width, w - 80), maxHeight: w < 700 ? Math.round(h * 0.55) : null,
            autoPanPadding: [12, 12]};
  }
  /* labels are built when first shown, not at load: a province has thousands of features */
  function bind(f, layer) {
    var p = f.properties;
    layer.options.className = "pg-f pg-" + p.k;
    if (HOVER || NO_POPUP[p.k]) {
      layer.bindTooltip(function () { return tooltip(p); }, {sticky: true, className: "pg-tip"});
    }
    if (!NO_POPUP[p.k]) {
      layer.bindPopup(function () { return popup(p); }, popupOptions(380));
    }
  }
  function searchTip(text) {
    var li = document.createElement("li");
    li.textContent = text;
    return li;
  }
  function register(layer) { layers.push(layer); return layer; }
  function add(data, interactive, parent) {
    return register(L.geoJSON(data, {style: style, onEachFeature: bind,
                                     interactive: interactive})).addTo(parent);
  }
  /* compact records (parkgeo/publish/compact.py): a string is itself, an integer the string
     T[i] of the page's table, an array [t, params...] the pieces T[t] with the params between */
  function txt(v) {
    if (typeof v === "number") { return T[v]; }
    if (!Array.isArray(v)) { return v; }
    var t = T[v[0]], out = t[0];
    for (var i = 1; i < t.length; i++) { out += txt(v[i]) + t[i]; }
    return out;
  }
  /* indicators: [k, values...] with T[k] their keys, in order */
  function ind(v) {
    if (!v) { return v; }
    var keys = T[v[0]], out = {};
    for (var i = 0; i < keys.length; i++) { out[keys[i]] = v[i + 1]; }
    return out;
  }
  var TEXT = ["n", "co", "t", "r"];
  function props(p) {
    TEXT.forEach(function (k) { if (k in p) { p[k] = txt(p[k]); } });
    if (p.i) { p.ind = ind(p.i); delete p.i; }
    return p;
  }
  /* rings and lines in Google's encoded polyline format (1e-5 degrees, latitude first), as
     parkgeo/publish/display.py writes them with the `polyline` package */
  function ring(s) {
    var out = [], v = [0, 0], i = 0, j, b, r, sh;
    while (i < s.length) {
      for (j = 0; j < 2; j++) {
        r = 0; sh = 0;
        do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << sh; sh += 5; } while (b >= 32);
        v[j] += (r & 1) ? ~(r >> 1) : (r >> 1);
      }
      out.push([v[1] / 1e5, v[0] / 1e5]);
    }
    return out;
  }
  function geometry(g) {
    if (g.t === "P") { return {type: "Polygon", coordinates: g.c.map(ring)}; }
    if (g.t === "M") {
      return {type: "MultiPolygon", coordinates: g.c.map(function (p) { return p.map(ring); })};
    }
    return {type: "LineString", coordinates: ring(g.c)};
  }
  function decode(fc) {
    return {type: "FeatureCollection", features: fc.f.map(function (f) {
      return {type: "Feature", properties: props(f[0]), geometry: geometry(f[1])};
    })};
  }
  /* platforms: id -> [name, county, sub-zones, colour, indicators, targets] */
  function platforms(all) {
    var out = {};
    Object.keys(all).forEach(function (pid) {
      var a = all[pid];
      out[pid] = {name: txt(a[0]), county: txt(a[1]), n_sub_zones: a[2], colour: a[3],
                  ind: ind(a[4]), targets: ind(a[5])};
    });
    return out;
  }
  /* Popups above the panels. Leaflet draws popups in a pane inside its map pane, which is a
     stacking context (z-index 400) below the page's panels and controls (z-index 1000), so a
     popup opened under the legend was hidden by it. Every map gets a popup pane of its own in
     the map container, above the panels, kept at the map pane's offset as the map moves (the
     popup positions itself in the map pane's coordinates). Leaflet has no option for this. */
  L.Map.addInitHook(function () {
    var map = this, pane = map.createPane("pgPopupPane", map.getContainer());
    var mapPane = map.getPane("mapPane");
    pane.classList.add("pg-popup-pane");
    function follow() { L.DomUtil.setPosition(pane, L.DomUtil.getPosition(mapPane) || L.point(0, 0)); }
    map.on("move zoom viewreset zoomend moveend resize", follow);
    follow();
  });
  L.Popup.prototype.options.pane = "pgPopupPane";
  /* Panels with a head (legend, summary) fold to their head, a button: on a narrow screen they
     start folded and one at a time is open, so the map stays in sight. */
  var NARROW = "(max-width: 640px)";
  function panels() {
    var narrow = window.matchMedia && window.matchMedia(NARROW).matches;
    var all = [];
    document.querySelectorAll(".pg-panel").forEach(function (panel) {
      var head = panel.querySelector(":scope > .pg-head");
      if (!head) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pg-head pg-toggle";
      button.textContent = head.textContent;
      var body = document.createElement("div");
      body.className = "pg-body";
      while (head.nextSibling) { body.appendChild(head.nextSibling); }
      head.replaceWith(button);
      panel.appendChild(body);
      L.DomEvent.disableClickPropagation(panel);
      L.DomEvent.disableScrollPropagation(panel);
      function fold(on) {
        panel.classList.toggle("pg-folded", on);
        button.setAttribute("aria-expanded", on ? "false" : "true");
      }
      button.addEventListener("click", function () {
        var open = panel.classList.contains("pg-folded");
        if (open && window.matchMedia(NARROW).matches) {
          all.forEach(function (f) { f(true); });
        }
        fold(!open);
      });
      all.push(fold);
      fold(narrow);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", panels);
  } else {
    panels();
  }
  return {
    init: function (strings, plats, kinds, table) {
      S = strings; K = kinds; T = table; P = platforms(plats);
    },
    esc: esc, fmt: fmt, met: met, style: style, bind: bind, searchTip: searchTip,
    register: register, add: add, decode: decode, text: txt, popupOptions: popupOptions,
    hover: HOVER,
    layers: function () { return layers; },
    platform: function (pid) { return P[pid]; }, platformTable: platformTable,
    strings: function () { return S; }, state: C
  };
})();
