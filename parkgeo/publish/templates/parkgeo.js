/* parkgeo map runtime: styles, tooltips, popups and panels built from data.
 * Every value from the data goes through esc() before it reaches innerHTML (Leaflet tooltips,
 * popups, the search list and the side panels all set innerHTML). */
var PG = (function () {
  "use strict";
  var S = {}, P = {}, K = {}, C = {}, layers = [];

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
    out += "<br>" + esc(S.f_county) + ": " + esc(p.co) + (p.t ? " / " + esc(p.t) : "");
    out += "<br>" + esc(S.f_decision) + ": " + decision(p);
    if (p.p && P[p.p]) { out += "<br>" + esc(S.f_platform) + ": " + esc(P[p.p].name); }
    if (p.r) { out += "<br>" + esc(S.f_reason) + ": " + esc(p.r); }
    return out;
  }
  function popup(p) {
    if (p.k === "county" || p.k === "link" || p.k === "protected") { return null; }
    var out = '<div class="pg-popup"><div class="pg-head">' + esc(p.n) + "</div>";
    if (p.k === "plot") { return out + tooltip(p) + "</div>"; }
    out += '<table class="pg-table">' + row(S.f_decision, decision(p));
    if (p.r) { out += row(S.f_reason, esc(p.r)); }
    out += indicatorRows(p.ind) + "</table>";
    if (p.p) { out += platformTable(p.p); }
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
  function bind(f, layer) {
    var p = f.properties;
    layer.options.className = "pg-f pg-" + p.k;
    layer.bindTooltip(tooltip(p), {sticky: true, className: "pg-tip"});
    var html = popup(p);
    if (html) { layer.bindPopup(html, {maxWidth: 380}); }
  }
  function searchTip(text) {
    var li = document.createElement("li");
    li.textContent = text;
    return li;
  }
  function register(layer) { layers.push(layer); return layer; }
  /* compact collections (parkgeo/publish/display.py): rings are integers in 1e-5 degrees,
     the first vertex absolute, the others as differences */
  function ring(a) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < a.length; i += 2) { x += a[i]; y += a[i + 1]; out.push([x / 1e5, y / 1e5]); }
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
      return {type: "Feature", properties: f[0], geometry: geometry(f[1])};
    })};
  }
  return {
    init: function (strings, platforms, kinds) { S = strings; P = platforms; K = kinds; },
    esc: esc, fmt: fmt, met: met, style: style, bind: bind, searchTip: searchTip,
    register: register, decode: decode, layers: function () { return layers; },
    platform: function (pid) { return P[pid]; }, platformTable: platformTable,
    strings: function () { return S; }, state: C
  };
})();
