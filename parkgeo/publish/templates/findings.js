/* parkgeo findings map runtime (parkgeo/publish/findings_map.py, `parkgeo validate --html`):
 * markers, offending areas and context on top of PG (parkgeo.js). Every label goes through
 * PG.esc before it reaches innerHTML (tooltips, popups). */
var PGV = (function () {
  "use strict";
  var S = {}, R = {}, COL = {}, SHAPE = {}, byFeature = {}, byRule = {};
  var PANE = "pgv-areas";
  var esc = PG.esc;
  function row(label, value) {
    return "<tr><th>" + esc(label) + "</th><td>" + value + "</td></tr>";
  }
  function sev(s) {
    return '<span class="pgv-sev" style="background:' + (COL[s] || "#333") + '">' +
      esc(S["sev_" + s] || s) + "</span>";
  }
  function svg(rule, s) {
    var r = R[rule] || {};
    return '<svg width="20" height="20" viewBox="0 0 20 20"><g fill="' + (COL[s] || "#333") +
      '" stroke="#fff" stroke-width="1.6">' + (SHAPE[r.g] || SHAPE.topology) + "</g></svg>";
  }
  function name(rule) { return R[rule] ? R[rule].name : rule; }
  function key(layer, id) { return JSON.stringify([layer || "", id || ""]); }
  function where(p) { return [S["data_layer_" + p.l] || p.l, p.d].filter(function (v) { return v; }).join(" "); }
  /* hover: what and where, and the message; the popup adds the details and what to do */
  function tooltip(p) {
    return sev(p.s) + " <b>" + esc(name(p.r)) + '</b><span class="pgv-id">' + esc(p.r) +
      "</span><br>" + esc(where(p)) + (p.f ? " · " + esc(p.f) : "") +
      '<div class="pgv-msg">' + esc(p.m) + "</div>";
  }
  function popup(p) {
    var r = R[p.r] || {};
    var out = '<div class="pg-popup pgv-popup"><div class="pg-head">' + esc(name(p.r)) +
      ' <span class="pgv-id">' + esc(p.r) + (r.policy ? " · " + esc(r.policy) : "") +
      '</span></div><table class="pg-table">' + row(S.v_severity, sev(p.s));
    if (p.l) { out += row(S.v_layer, esc(S["data_layer_" + p.l] || p.l)); }
    if (p.d) { out += row(S.v_id, esc(p.d)); }
    if (p.f) { out += row(S.v_field, esc(p.f)); }
    if (p.o) { out += row(S.v_other, esc(p.o)); }
    out += '</table><div class="pgv-msg">' + esc(p.m) + "</div>";
    if (r.todo) {
      out += '<div class="pgv-todo"><b>' + esc(S.v_todo) + "</b>: " + esc(r.todo) + "</div>";
    }
    return out + "</div>";
  }
  function bind(p, layer, marker) {
    if (PG.hover) {  /* on a touch screen the popup says it all */
      layer.bindTooltip(function () { return tooltip(p); },
                        {sticky: !marker, direction: "top", className: "pg-tip"});
    }
    layer.bindPopup(function () { return popup(p); }, PG.popupOptions(400));
  }
  function icon(p) {
    return L.divIcon({className: "pgv-marker", html: svg(p.r, p.s), iconSize: [20, 20],
                      iconAnchor: [10, 10], popupAnchor: [0, -8], tooltipAnchor: [0, -9]});
  }
  /* one rule: markers [[record, lon, lat], ...] and areas (compact features, properties
     {j: the marker's index}); returns the markers' layer (searched by feature id) */
  function rule(markers, areas, parent) {
    var feats = markers.map(function (m) {
      var p = m[0];
      p.m = PG.text(p.m);
      p.n = PG.text(p.n);
      return {type: "Feature", properties: p,
              geometry: {type: "Point", coordinates: [m[1], m[2]]}};
    });
    function of(f) { return feats[f.properties.j].properties; }
    L.geoJSON(areas, {
      pane: PANE,
      style: function (f) {
        var c = COL[of(f).s] || "#333";
        return {color: c, weight: 2, opacity: 1, fillColor: c, fillOpacity: 0.45};
      },
      onEachFeature: function (f, layer) {
        layer.options.className = "pgv-area";
        bind(of(f), layer, false);
      }
    }).addTo(parent);
    return L.geoJSON({type: "FeatureCollection", features: feats}, {
      pointToLayer: function (f, ll) {
        return L.marker(ll, {icon: icon(f.properties), riseOnHover: true, keyboard: false});
      },
      onEachFeature: function (f, layer) {
        var p = f.properties, k = key(p.l, p.d);
        bind(p, layer, true);
        (byFeature[k] = byFeature[k] || []).push(p);
        (byRule[p.r] = byRule[p.r] || []).push(layer);
      }
    }).addTo(parent);
  }
  function contextTip(p) {
    var out = "<b>" + esc(p.n) + "</b>", mine = byFeature[key(p.l, p.d)];
    if (p.k === "county") { return out; }
    out += "<br>" + esc(S["legend_" + p.k]) + (p.co ? " · " + esc(p.co) : "");
    if (mine) {
      out += '<br><span class="pg-short">' + esc(S.v_on_feature) + ": " + mine.length +
        "</span>";
    }
    return out;
  }
  function contextPopup(p) {
    var mine = byFeature[key(p.l, p.d)] || [];
    var out = '<div class="pg-popup pgv-popup"><div class="pg-head">' + esc(p.n) +
      '</div><table class="pg-table">' + row(S.v_layer, esc(S["data_layer_" + p.l] || p.l)) + row(S.v_id, esc(p.d));
    if (p.co) { out += row(S.f_county, esc(p.co)); }
    out += "</table>";
    if (mine.length) {
      out += '<div class="pg-sub">' + esc(S.v_on_feature) + '</div><ul class="pgv-list">';
      mine.forEach(function (q) {
        out += "<li>" + sev(q.s) + " <b>" + esc(name(q.r)) + "</b>: " + esc(q.m) + "</li>";
      });
      out += "</ul>";
    }
    return out + "</div>";
  }
  /* counties, zones and parks, drawn as the consolidation map draws them */
  function context(data, parent) {
    return L.geoJSON(data, {
      style: PG.style,
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.options.className = "pg-f pg-" + p.k;
        if (PG.hover || p.k === "county") {
          layer.bindTooltip(function () { return contextTip(p); },
                            {sticky: true, className: "pg-tip"});
        }
        if (p.k !== "county") {
          layer.bindPopup(function () { return contextPopup(p); }, PG.popupOptions(400));
        }
      }
    }).addTo(parent);
  }
  /* fit the map to a rule's markers that are shown; open the popup when there is one */
  function zoomRule(rule, map) {
    var shown = (byRule[rule] || []).filter(function (m) { return map.hasLayer(m); });
    if (!shown.length) { return 0; }
    var b = L.latLngBounds(shown.map(function (m) { return m.getLatLng(); }));
    map.fitBounds(b.pad(0.3), {maxZoom: 15});
    if (shown.length === 1) { shown[0].openPopup(); }
    return shown.length;
  }
  function start(map) {
    map.createPane(PANE).style.zIndex = 450;  /* above the context, below the markers */
    document.querySelectorAll("[data-pgv-rule]").forEach(function (el) {
      el.addEventListener("click", function () {
        zoomRule(el.getAttribute("data-pgv-rule"), map);
      });
    });
  }
  return {
    init: function (strings, rules, colours, shapes) {
      S = strings; R = rules; COL = colours; SHAPE = shapes;
    },
    start: start, rule: rule, context: context, zoomRule: zoomRule,
    markers: function (r) { return (byRule[r] || []).slice(); },
    onFeature: function (layer, id) { return (byFeature[key(layer, id)] || []).slice(); }
  };
})();
