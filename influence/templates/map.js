/* influence interactive map. All user text is set with textContent, never innerHTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("map-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var FADED = "rgba(180,180,180,0.25)";
  var GHOST = 1e9; // ids of ghost slots start here
  var state = { view: "map", layout: "map", filters: {}, off: {}, focus: null, matches: {},
                present: false, zoomLabels: false };
  var byId = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; });

  function el(tag, textValue, cls) {
    var e = document.createElement(tag);
    if (textValue !== undefined && textValue !== null) e.textContent = String(textValue);
    if (cls) e.className = cls;
    return e;
  }
  function colour(n) { return D.groups[n.g] ? D.groups[n.g].color : "#B0B0B0"; }
  function viewOf(id) { for (var i = 0; i < D.views.length; i++) if (D.views[i].id === id) return D.views[i]; return null; }

  // --- data sets ----------------------------------------------------------------------------
  var nodes = new vis.DataSet(D.nodes.map(function (n) {
    return { id: n.id, x: n.x, y: n.y, size: n.size, label: n.top ? n.label : undefined,
             color: { background: colour(n), border: "#333" }, shape: "dot", borderWidth: 1 };
  }).concat(D.ghosts.map(function (g, k) {
    return { id: GHOST + k, x: g.x, y: g.y, size: 16, label: g.label, hidden: true, shape: "dot",
             color: { background: "rgba(255,255,255,0.2)", border: "#D55E00" },
             shapeProperties: { borderDashes: [5, 4] }, borderWidth: 3 };
  })));
  var edges = new vis.DataSet(D.edges.map(function (e, k) {
    return { id: k, from: e[0], to: e[1], width: 0.6 + 0.6 * (e[2] - 1),
             arrows: D.directed ? "to" : undefined };
  }));
  var options = {
    physics: false, layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, tooltipDelay: 100, hideEdgesOnDrag: D.nodes.length > 1500,
                   hideEdgesOnZoom: D.nodes.length > 1500 },
    nodes: { font: { size: 14, color: "#111", strokeWidth: 3, strokeColor: "#fff" } },
    edges: { smooth: false, color: { color: "rgba(90,90,90,0.35)", highlight: "#0072B2" },
             selectionWidth: 1 }
  };
  var network = new vis.Network($("network"), { nodes: nodes, edges: edges }, options);
  window.influenceMap = { network: network, nodes: nodes, edges: edges, data: D, state: state,
                          setView: setView, search: search, setFilter: setFilter,
                          showDetails: showDetails, present: present, step: step };
  network.once("afterDrawing", function () {
    window.influenceDrawnAt = performance.now();
    document.body.setAttribute("data-drawn", "1");
  });

  // --- visibility, colours, labels ----------------------------------------------------------
  function passes(n) {
    if (state.off[n.g]) return false;
    for (var key in state.filters) {
      var want = state.filters[key];
      if (!want) continue;
      if (key === "themes") { if (n.f.themes.indexOf(want) < 0) return false; }
      else if (n.f[key] !== want) return false;
    }
    return true;
  }
  function highlighted(n) {
    var v = state.view;
    if (state.focus !== null) return state.focusSet[n.id] === true;
    if (v === "civic" || v === "gatekeepers" || v === "brokers") return n.hl.indexOf(v) >= 0;
    if (v === "missing") return n.status !== undefined;
    return true;
  }
  function showLabel(n, lit) {
    if (state.matches[n.id] || (state.focus !== null && lit)) return true;
    if (state.view !== "map" && state.view !== "spheres" && lit) return true;
    return n.top || state.zoomLabels;
  }
  function refresh() {
    var sphereLayout = state.layout === "spheres";
    var updates = D.nodes.map(function (n) {
      var lit = highlighted(n);
      var label = showLabel(n, lit) ? n.label : undefined;
      if (label !== undefined && state.view === "missing" && n.status) label = n.label + " (" + n.status + ")";
      return { id: n.id, hidden: !passes(n), label: label === undefined ? "" : label,
               x: sphereLayout ? n.sx : n.x, y: sphereLayout ? n.sy : n.y,
               color: lit ? { background: colour(n), border: state.matches[n.id] ? "#000" : "#333" }
                          : { background: FADED, border: FADED },
               borderWidth: state.matches[n.id] ? 4 : 1 };
    });
    D.ghosts.forEach(function (g, k) { updates.push({ id: GHOST + k, hidden: state.view !== "missing" }); });
    nodes.update(updates);
  }

  // --- views and presentation ---------------------------------------------------------------
  var ORDER = ["map", "spheres", "civic", "gatekeepers", "missing"];
  function setView(id, initial) {
    var v = viewOf(id);
    if (!v) return false;
    state.view = id; state.focus = null;
    state.layout = (id === "spheres" || (id === "missing" && viewOf("spheres").available)) ? "spheres" : "map";
    $("details").hidden = true;
    if (!initial) refresh();
    Array.prototype.forEach.call($("views").children, function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-view") === id ? "true" : "false");
    });
    $("caption-title").textContent = v.title + (v.count !== null && v.count !== undefined ? " (" + v.count + ")" : "") + ":";
    $("caption-text").textContent = v.available ? v.caption : "not available for this map.";
    document.body.setAttribute("data-view", id);
    if (!initial) network.fit({ animation: false });
    return true;
  }
  function step(delta) {
    var i = ORDER.indexOf(state.view);
    i = Math.max(0, Math.min(ORDER.length - 1, (i < 0 ? 0 : i) + delta));
    setView(ORDER[i]);
    return ORDER[i];
  }
  function present(on) {
    state.present = on === undefined ? !state.present : !!on;
    document.body.classList.toggle("present", state.present);
    $("present").setAttribute("aria-pressed", state.present ? "true" : "false");
    network.setOptions({ nodes: { font: state.present
      ? { size: 26, color: "#fff", strokeWidth: 4, strokeColor: "#000" }
      : { size: 14, color: "#111", strokeWidth: 3, strokeColor: "#fff" } },
      edges: { color: { color: state.present ? "rgba(230,230,230,0.45)" : "rgba(90,90,90,0.35)" } } });
    if (state.present) setView("map"); else network.fit({ animation: false });
    return state.present;
  }
  D.views.forEach(function (v) {
    var b = el("button", v.title);
    b.type = "button"; b.setAttribute("data-view", v.id); b.disabled = !v.available;
    if (!v.available) b.title = "Not available for this map";
    b.addEventListener("click", function () { setView(v.id); });
    $("views").appendChild(b);
  });
  $("present").addEventListener("click", function () { present(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT")) return;
    if (ev.key === "p" || ev.key === "P") { present(); ev.preventDefault(); }
    else if (!state.present) return;
    else if (ev.key === "ArrowRight" || ev.key === "PageDown" || ev.key === " ") { step(1); ev.preventDefault(); }
    else if (ev.key === "ArrowLeft" || ev.key === "PageUp") { step(-1); ev.preventDefault(); }
    else if (ev.key === "Escape") { present(false); }
  });

  // rings of the sphere layout, drawn on the canvas (text, never HTML)
  network.on("beforeDrawing", function (ctx) {
    if (state.layout !== "spheres") return;
    ctx.save();
    D.rings.forEach(function (ring, k) {
      if (ring.r <= 0) return;
      ctx.beginPath(); ctx.arc(0, 0, ring.r, 0, 2 * Math.PI);
      ctx.strokeStyle = state.present ? "rgba(255,255,255,0.5)" : "rgba(0,0,0,0.18)";
      ctx.lineWidth = 2; ctx.setLineDash(k === 4 ? [8, 6] : []); ctx.stroke();
      ctx.fillStyle = state.present ? "#fff" : "#555"; ctx.font = (state.present ? 26 : 16) + "px sans-serif";
      ctx.textAlign = "center"; ctx.fillText(ring.label, 0, -ring.r - 8);
    });
    ctx.restore();
  });

  // --- legend and filters -------------------------------------------------------------------
  $("legend-title").textContent = "Colour: " + D.colorBy;
  D.groups.forEach(function (g, k) {
    var li = el("li"); var sw = el("span", null, "swatch");
    sw.style.background = g.color;
    li.appendChild(sw); li.appendChild(el("span", g.name + " (" + g.count + ")"));
    li.setAttribute("data-group", String(k)); li.title = "Click to hide or show";
    li.addEventListener("click", function () {
      state.off[k] = !state.off[k]; li.classList.toggle("off", !!state.off[k]); refresh();
    });
    $("legend").appendChild(li);
  });
  var NAMES = { kind: "Kind", sector: "Sector", sub_area: "Sub-area", themes: "Theme" };
  Object.keys(D.filters).forEach(function (key) {
    var values = D.filters[key];
    if (!values.length || (values.length === 1 && values[0] === "(none)")) return;
    var label = el("label", NAMES[key] || key); var sel = el("select");
    sel.id = "filter-" + key; sel.appendChild(el("option", "all"));
    sel.firstChild.value = "";
    values.forEach(function (v) { var o = el("option", v); o.value = v; sel.appendChild(o); });
    sel.addEventListener("change", function () { setFilter(key, sel.value); });
    label.appendChild(sel); $("filters").appendChild(label);
  });
  function setFilter(key, value) { state.filters[key] = value || ""; refresh(); }
  if (D.notes.length) {
    $("notes-box").hidden = false;
    D.notes.forEach(function (t) { $("notes").appendChild(el("li", t)); });
  }

  // --- search -------------------------------------------------------------------------------
  function search(q) {
    q = (q || "").trim().toLowerCase();
    state.matches = {};
    var list = $("matches"); while (list.firstChild) list.removeChild(list.firstChild);
    var hits = q ? D.nodes.filter(function (n) {
      return n.label.toLowerCase().indexOf(q) >= 0 || n.fields[0][1].toLowerCase().indexOf(q) >= 0;
    }) : [];
    hits.forEach(function (n) { state.matches[n.id] = true; });
    $("found").textContent = q ? hits.length + " found" : "";
    $("matches-box").hidden = !hits.length;
    hits.slice(0, 30).forEach(function (n) {
      var li = el("li"); var b = el("button", n.label); b.type = "button";
      b.addEventListener("click", function () { showDetails(n.id); });
      li.appendChild(b); list.appendChild(li);
    });
    refresh();
    if (hits.length) {
      network.selectNodes(hits.slice(0, 200).map(function (n) { return n.id; }));
      if (hits.length <= 200) network.fit({ nodes: hits.map(function (n) { return n.id; }), animation: false });
      if (hits.length === 1) network.moveTo({ scale: Math.min(network.getScale() , 1.2) });
    } else { network.unselectAll(); }
    return hits.map(function (n) { return n.label; });
  }
  $("search").addEventListener("input", function (ev) { search(ev.target.value); });

  // --- details and neighbourhood focus ------------------------------------------------------
  function showDetails(id) {
    var n = byId[id];
    var title = $("details-title"), list = $("details-list");
    while (list.firstChild) list.removeChild(list.firstChild);
    var fields;
    if (n) { title.textContent = n.label; fields = n.fields.slice(); if (n.status) fields.push(["who is missing", n.status]); }
    else if (id >= GHOST && D.ghosts[id - GHOST]) { title.textContent = D.ghosts[id - GHOST].label; fields = D.ghosts[id - GHOST].fields; }
    else return false;
    fields.forEach(function (f) {
      list.appendChild(el("dt", NAMES[f[0]] || f[0].replace(/_/g, " ")));
      list.appendChild(el("dd", f[1]));
    });
    $("details").hidden = false;
    if (n) {
      var near = network.getConnectedNodes(id);
      state.focus = id; state.focusSet = {}; state.focusSet[id] = true;
      near.forEach(function (k) { state.focusSet[k] = true; });
      refresh();
      network.selectNodes([id]);
      network.fit({ nodes: [id].concat(near), animation: false });
    }
    return true;
  }
  function clearFocus() { state.focus = null; $("details").hidden = true; refresh(); network.fit({ animation: false }); }
  network.on("click", function (p) { if (p.nodes.length) showDetails(p.nodes[0]); else if (state.focus !== null) clearFocus(); });
  $("details-close").addEventListener("click", clearFocus);

  // --- hover tooltip (text only) and labels on zoom -----------------------------------------
  var tip = $("tooltip");
  network.on("hoverNode", function (p) {
    var n = byId[p.node], g = D.ghosts[p.node - GHOST];
    var lines = n ? [n.label].concat(n.fields.filter(function (f) { return f[0] === "kind" || f[0] === "sector" || f[0] === "sub_area"; })
                                     .map(function (f) { return (NAMES[f[0]] || f[0]) + ": " + f[1]; }))
                  : (g ? [g.label] : []);
    if (n && n.status) lines.push(n.status);
    tip.textContent = lines.join("\n");
    tip.style.left = (p.pointer.DOM.x + 14) + "px"; tip.style.top = (p.pointer.DOM.y + 14) + "px";
    tip.hidden = false;
    if (n && !n.top) nodes.update({ id: n.id, label: n.label });
  });
  network.on("blurNode", function (p) {
    tip.hidden = true;
    var n = byId[p.node];
    if (n && !showLabel(n, highlighted(n))) nodes.update({ id: n.id, label: "" });
  });
  network.on("zoom", function () {
    var want = network.getScale() > 1.1;
    if (want !== state.zoomLabels) { state.zoomLabels = want; refresh(); }
  });

  setView("map", true);
})();
