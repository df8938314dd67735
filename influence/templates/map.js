/* influence interactive map. All user text is set with textContent, never innerHTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("map-data").textContent);
  var B = D.bundles || [];
  var $ = function (id) { return document.getElementById(id); };
  var GHOST = 1e9; // ids of ghost slots start here
  var GROUP = 2e9; // ids of group nodes ("42 residents, Nether Wyke") start here
  // Colours per theme. Dark (presentation): every colour that carries meaning has at least
  // 3:1 contrast on black (WCAG 2.1 AA, 1.4.11) and label text at least 4.5:1 on its plate.
  var THEMES = {
    light: { faded: "rgba(180,180,180,0.35)", fadedBorder: "rgba(140,140,140,0.45)",
             border: "#333", mark: "#B5006B", text: "#111", plate: "rgba(255,255,255,0.82)",
             edge: "rgba(90,90,90,0.35)", edgeFaded: "rgba(90,90,90,0.12)",
             ring: "rgba(0,0,0,0.2)", ringText: "#333", font: 14, group: "#555" },
    dark: { faded: "#3a3a3a", fadedBorder: "#777777", border: "#000", mark: "#FFD23F",
            text: "#fff", plate: "rgba(0,0,0,0.72)", edge: "rgba(230,230,230,0.42)",
            edgeFaded: "rgba(200,200,200,0.13)", ring: "rgba(255,255,255,0.55)",
            ringText: "#fff", font: 20, group: "#fff" }
  };
  var state = { view: "map", layout: "map", filters: {}, off: {}, focus: null, matches: {},
                present: false, zoomLabels: false, open: {}, version: 0 };
  var byId = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; });
  function theme() { return state.present ? THEMES.dark : THEMES.light; }

  function el(tag, textValue, cls) {
    var e = document.createElement(tag);
    if (textValue !== undefined && textValue !== null) e.textContent = String(textValue);
    if (cls) e.className = cls;
    return e;
  }
  function colour(n) { return D.groups[n.g] ? D.groups[n.g].color : "#B0B0B0"; }
  function viewOf(id) { for (var i = 0; i < D.views.length; i++) if (D.views[i].id === id) return D.views[i]; return null; }
  function spheres() { return state.layout === "spheres"; }
  // the node a person is drawn as: themselves, or their group while it is closed
  function unitOf(k) { var c = D.nodes[k].c; return c === undefined || state.open[c] ? k : GROUP + c; }

  // --- data sets ----------------------------------------------------------------------------
  function nodeItem(n) {
    return { id: n.id, x: spheres() ? n.sx : n.x, y: spheres() ? n.sy : n.y, size: n.size,
             color: { background: colour(n), border: "#333" }, shape: "dot", borderWidth: 1 };
  }
  function groupItem(b, j) {
    return { id: GROUP + j, x: spheres() ? b.sx : b.x, y: spheres() ? b.sy : b.y,
             size: spheres() ? b.ssize : b.size, shape: "dot", borderWidth: 3,
             shapeProperties: { borderDashes: [6, 4] }, color: { background: colour(b), border: "#333" } };
  }
  // --- the page around the map, built before the map so that its size is known once -------
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
  window.addEventListener("resize", function () { fitAll(); });

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
  if (D.notes.length) {
    $("notes-box").hidden = false;
    D.notes.forEach(function (t) { $("notes").appendChild(el("li", t)); });
  }
  $("search").addEventListener("input", function (ev) { search(ev.target.value); });
  $("details-close").addEventListener("click", clearFocus);
  $("regroup").addEventListener("click", function () {
    if (state.lastOpened !== undefined) collapse(state.lastOpened);
    clearFocus();
  });
  if (viewOf("map")) caption(viewOf("map"));

  var fitScale = null, applied = {}; // applied: what each drawn node was last set to
  var cands = []; // labels that may be drawn, most important first: [unit id, text]
  // the first drawing is made from the same settings refresh() applies, so it changes nothing
  var initial = refresh(true).map(function (u) {
    var base = u.id >= GROUP ? groupItem(B[u.id - GROUP], u.id - GROUP)
      : (u.id >= GHOST ? { id: u.id, x: D.ghosts[u.id - GHOST].x, y: D.ghosts[u.id - GHOST].y,
                           size: 28, shape: "dot", borderWidth: 3,
                           color: { background: "rgba(255,255,255,0.2)", border: "#D55E00" },
                           shapeProperties: { borderDashes: [5, 4] } }
                        : nodeItem(D.nodes[u.id]));
    for (var key in u) base[key] = u[key];
    return base;
  });
  var nodes = new vis.DataSet(initial);
  var edges = new vis.DataSet();
  function edgeItems() {
    // ties between what is drawn: a closed group's ties are bundled into one line per neighbour
    var out = [], merged = {};
    D.edges.forEach(function (e, k) {
      var a = unitOf(e[0]), b = unitOf(e[1]);
      if (a === b) return;
      if (a < GROUP && b < GROUP) {
        out.push({ id: k, from: a, to: b, width: 0.6 + 0.6 * (e[2] - 1), arrows: D.directed ? "to" : undefined });
        return;
      }
      var key = a < b ? a + "-" + b : b + "-" + a;
      if (merged[key]) merged[key].n += 1;
      else merged[key] = { id: "g" + key, from: a, to: b, n: 1 };
    });
    Object.keys(merged).forEach(function (key) {
      var m = merged[key];
      out.push({ id: m.id, from: m.from, to: m.to, width: Math.min(1 + Math.log(m.n) * 1.2, 8) });
    });
    return out;
  }
  edges.add(edgeItems());
  var many = D.edges.length > 4000 || nodes.length > 1500;
  var options = {
    physics: false, layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, tooltipDelay: 100, hideEdgesOnDrag: many, hideEdgesOnZoom: many },
    nodes: { font: { size: 0 } },
    edges: { smooth: false, color: { color: THEMES.light.edge, highlight: "#0072B2" }, selectionWidth: 1 }
  };
  state.edgeColour = THEMES.light.edge;
  var network = new vis.Network($("network"), { nodes: nodes, edges: edges }, options);
  window.influenceMap = { network: network, nodes: nodes, edges: edges, data: D, state: state,
                          setView: setView, search: search, setFilter: setFilter,
                          showDetails: showDetails, present: present, step: step,
                          expand: expand, collapse: collapse, unitOf: unitOf };
  network.once("afterDrawing", function () {
    window.influenceDrawnAt = performance.now();
    document.body.setAttribute("data-drawn", "1");
  });

  // --- groups open and close ----------------------------------------------------------------
  function expand(j) {
    var b = B[j];
    if (!b || state.open[j]) return false;
    state.open[j] = true;
    delete applied[GROUP + j];
    b.members.forEach(function (k) { delete applied[k]; });
    nodes.remove(GROUP + j);
    nodes.add(b.members.map(function (k) { return nodeItem(D.nodes[k]); }));
    syncEdges();
    refresh();
    return true;
  }
  function collapse(j) {
    if (!state.open[j]) return false;
    delete state.open[j];
    delete applied[GROUP + j];
    B[j].members.forEach(function (k) { delete applied[k]; });
    nodes.remove(B[j].members);
    nodes.add(groupItem(B[j], j));
    syncEdges();
    refresh();
    return true;
  }
  // the ties drawn now replace those drawn before: ties that stay are left alone (not made
  // again), except selected or hovered ones, made again plain (a selected actor keeps its mark)
  function syncEdges() {
    var want = edgeItems(), had = {}, gone = [], fresh = [], changed = [];
    edges.get().forEach(function (e) { had[e.id] = e; });
    var hot = state.hovered;
    network.getSelectedEdges().forEach(function (id) { if (had[id]) { gone.push(id); delete had[id]; } });
    Object.keys(had).forEach(function (id) { // so are the ties of the actor under the pointer
      if (hot !== undefined && (had[id].from === hot || had[id].to === hot)) { gone.push(had[id].id); delete had[id]; }
    });
    want.forEach(function (e) {
      var old = had[e.id];
      if (!old) fresh.push(e);
      else if (old.from !== e.from || old.to !== e.to || old.width !== e.width || old.arrows !== e.arrows) changed.push(e);
      delete had[e.id];
    });
    for (var id in had) gone.push(had[id].id);
    if (gone.length) edges.remove(gone);
    if (changed.length) edges.update(changed);
    if (fresh.length) edges.add(fresh);
  }
  function collapseAll() { Object.keys(state.open).forEach(function (j) { collapse(+j); }); }

  // --- visibility, colours, labels ----------------------------------------------------------
  function passes(n) {
    if (state.off[n.g]) return false;
    for (var key in state.filters) {
      var want = state.filters[key];
      if (!want) continue;
      if (key === "themes") { if ((n.f.themes || []).indexOf(want) < 0) return false; }
      else if (n.f[key] !== want) return false;
    }
    return true;
  }
  // a view that marks no one (no gatekeepers, say) shows the map as it is, and says so
  function emptyView() { var v = viewOf(state.view); return !!v && v.count === 0; }
  function lit(n) {
    var v = state.view;
    if (state.focus !== null) return state.focusSet[n.id] === true;
    if (emptyView()) return true;
    if (v === "civic" || v === "gatekeepers" || v === "brokers") return (n.hl || []).indexOf(v) >= 0;
    if (v === "missing") return n.status !== undefined;
    return true;
  }
  function groupLit(b, j) {
    var v = state.view;
    if (state.focus !== null) return state.focusSet[GROUP + j] === true;
    if (emptyView()) return true;
    if (v === "civic" || v === "gatekeepers" || v === "brokers" || v === "missing") return (b.hl[v] || 0) > 0;
    return true;
  }
  function marking() {
    return ["civic", "gatekeepers", "brokers", "missing"].indexOf(state.view) >= 0 && !emptyView();
  }
  function groupLabel(b, j) {
    var v = viewOf(state.view), extra = [];
    var k = b.hl[state.view];
    if (marking() && k) extra.push(k + " " + v.words[k === 1 ? 0 : 1]);
    if (state.matchGroups[j]) extra.push(state.matchGroups[j] + " found");
    return b.label + (extra.length ? " (" + extra.join(", ") + ")" : "");
  }
  function nodeLabel(n) {
    return state.view === "missing" && n.status ? n.label + " (" + n.status + ")" : n.label;
  }
  function refresh(first) {
    var t = theme(), updates = [], list = [], mark = marking();
    var counts = {};
    state.matchGroups = {};
    D.nodes.forEach(function (n) {
      var u = unitOf(n.id);
      if (u >= GROUP) {
        var j = u - GROUP;
        if (passes(n)) counts[j] = (counts[j] || 0) + 1;
        if (state.matches[n.id]) state.matchGroups[j] = (state.matchGroups[j] || 0) + 1;
        return;
      }
      var on = lit(n), m = state.matches[n.id];
      var bg = on ? colour(n) : t.faded;
      var border = m ? t.text : (on && mark ? t.mark : (on ? t.border : t.fadedBorder));
      updates.push({ id: n.id, hidden: !passes(n), x: spheres() ? n.sx : n.x, y: spheres() ? n.sy : n.y,
                     size: on && mark ? n.size * 1.25 : n.size,
                     color: { background: bg, border: border,
                              highlight: { background: bg, border: t.mark },
                              hover: { background: bg, border: t.mark } },
                     borderWidth: m ? 4 : (on && mark ? 3 : 1) });
      if (!passes(n)) return;
      // which labels to try, most important first (matches, the focus, the highlighted ...)
      var prio = m ? 0 : (state.focus === n.id ? 0 : (state.focus !== null ? (on ? 1 : -1)
                 : (mark ? (on ? 2 : -1) : (n.sphere === 0 && n.rank < 3 ? 1
                 : (n.top ? 3 : (state.zoomLabels ? 4 : -1))))));
      if (prio >= 0) list.push([prio * 1e7 + n.rank, n.id, nodeLabel(n)]);
    });
    B.forEach(function (b, j) {
      if (state.open[j]) return;
      var on = groupLit(b, j), bg = on ? colour(b) : t.faded;
      updates.push({ id: GROUP + j, hidden: !counts[j], x: spheres() ? b.sx : b.x, y: spheres() ? b.sy : b.y,
                     size: spheres() ? b.ssize : b.size,
                     color: { background: bg, border: on && mark ? t.mark : t.group,
                              highlight: { background: bg, border: t.mark },
                              hover: { background: bg, border: t.mark } } });
      var quiet = (mark || state.focus !== null) && !on;
      if (counts[j] && !quiet) list.push([(on && (mark || state.focus !== null) ? 2 : 2.5) * 1e7 + j,
                                          GROUP + j, groupLabel(b, j)]);
    });
    D.ghosts.forEach(function (g, k) {
      var show = state.view === "missing";
      updates.push({ id: GHOST + k, hidden: !show });
      if (show) list.push([1e7 + k, GHOST + k, g.label]);
    });
    list.sort(function (a, b) { return a[0] - b[0]; });
    cands = list.slice(0, 400).map(function (c) { return [c[1], c[2]]; });
    state.version += 1;
    if (first) {
      updates.forEach(function (u) { applied[u.id] = JSON.stringify(u); });
      return updates;
    }
    var changed = updates.filter(function (u) {
      var sig = JSON.stringify(u);
      if (applied[u.id] === sig) return false;
      applied[u.id] = sig; return true;
    });
    if (changed.length) nodes.update(changed);
    var edgeColour = mark || state.focus !== null ? t.edgeFaded : t.edge;
    if (edgeColour !== state.edgeColour) {
      state.edgeColour = edgeColour;
      network.setOptions({ edges: { color: { color: edgeColour } } });
    }
  }

  // --- labels: drawn on top, in screen pixels, never overlapping ----------------------------
  // Each label tries eight places around its node; one that would cover another label (or the
  // edge of the map) is not used, and a label with no free place is left out (hover shows it).
  var drawn = [], drawnKey = "", widths = {}, moved = 0;
  function boxesMeet(a, b, gap) {
    return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
  }
  function discMeets(box, d) {
    var cx = Math.max(box.x, Math.min(d.x, box.x + box.w)), cy = Math.max(box.y, Math.min(d.y, box.y + box.h));
    var dx = d.x - cx, dy = d.y - cy;
    return dx * dx + dy * dy < d.r * d.r;
  }
  function placeLabels(ctx, W, H) {
    var t = theme(), font = t.font, h = Math.round(font * 1.35), pad = Math.round(font * 0.3);
    var CELL = 64, grid = {}, out = [];
    function cells(b, fn) {
      for (var gx = Math.floor(b.x / CELL); gx <= Math.floor((b.x + b.w) / CELL); gx++)
        for (var gy = Math.floor(b.y / CELL); gy <= Math.floor((b.y + b.h) / CELL); gy++) fn(gx + ":" + gy);
    }
    // discs of the drawn nodes, in screen pixels
    var discs = [], dgrid = {};
    var bodyNodes = network.body.nodes;
    nodes.getIds().forEach(function (id) {
      var bn = bodyNodes[id];
      if (!bn || bn.options.hidden) return;
      var p = network.canvasToDOM({ x: bn.x, y: bn.y }), r = (bn.options.size || 8) * network.getScale() + 2;
      if (p.x + r < 0 || p.y + r < 0 || p.x - r > W || p.y - r > H) return;
      var d = { id: id, x: p.x, y: p.y, r: r };
      discs.push(d);
      cells({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r }, function (c) { (dgrid[c] = dgrid[c] || []).push(d); });
    });
    function free(b, own, strict) {
      if (b.x < 2 || b.y < 2 || b.x + b.w > W - 2 || b.y + b.h > H - 2) return false;
      var ok = true;
      cells(b, function (c) {
        if (!ok) return;
        (grid[c] || []).forEach(function (o) { if (ok && boxesMeet(b, o, 2)) ok = false; });
        if (strict) (dgrid[c] || []).forEach(function (d) { if (ok && d.id !== own && discMeets(b, d)) ok = false; });
      });
      return ok;
    }
    function keep(b) { out.push(b); cells(b, function (c) { (grid[c] = grid[c] || []).push(b); }); }
    function width(text) {
      var key = font + "|" + text;
      if (widths[key] === undefined) widths[key] = ctx.measureText(text).width;
      return widths[key];
    }
    ctx.font = font + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    if (spheres()) {
      D.rings.forEach(function (ring) {
        if (ring.r <= 0) return;
        var w = width(ring.label) + 2 * pad, rr = ring.r, tries = [];
        [-90, 90, 180, 0, -135, -45, 135, 45].forEach(function (deg) {
          var a = deg * Math.PI / 180, p = network.canvasToDOM({ x: rr * Math.cos(a), y: rr * Math.sin(a) });
          if (deg === -90 || deg === 90) {
            tries.push({ x: p.x - w / 2, y: p.y - h - 3 }, { x: p.x - w / 2, y: p.y + 3 });
          } else tries.push({ x: p.x - w / 2, y: p.y - h / 2 });
        });
        for (var pass = 0; pass < 2; pass++) {
          for (var i = 0; i < tries.length; i++) {
            var b = { x: tries[i].x, y: tries[i].y, w: w, h: h, text: ring.label, ring: true, font: font };
            if (free(b, null, pass === 0)) { keep(b); return; }
          }
        }
      });
    }
    var scale = network.getScale();
    cands.forEach(function (c) {
      var bn = bodyNodes[c[0]];
      if (!bn || bn.options.hidden) return;
      var p = network.canvasToDOM({ x: bn.x, y: bn.y }), r = (bn.options.size || 8) * scale;
      if (p.x < 0 || p.y < 0 || p.x > W || p.y > H) return;
      var w = width(c[1]) + 2 * pad, g = 3;
      var tries = [[p.x + r + g, p.y - h / 2], [p.x - r - g - w, p.y - h / 2], [p.x - w / 2, p.y - r - g - h],
                   [p.x - w / 2, p.y + r + g], [p.x + r * 0.7, p.y - r * 0.7 - h], [p.x - r * 0.7 - w, p.y - r * 0.7 - h],
                   [p.x + r * 0.7, p.y + r * 0.7], [p.x - r * 0.7 - w, p.y + r * 0.7]];
      for (var pass = 0; pass < 2; pass++) {
        for (var i = 0; i < tries.length; i++) {
          var b = { x: tries[i][0], y: tries[i][1], w: w, h: h, text: c[1], id: c[0], font: font };
          if (free(b, c[0], pass === 0)) { keep(b); return; }
        }
      }
    });
    return out;
  }
  network.on("afterDrawing", function (ctx) {
    var canvas = ctx.canvas, W = canvas.clientWidth, H = canvas.clientHeight;
    var ratio = canvas.width / (W || 1), view = network.getViewPosition();
    var key = [network.getScale(), view.x, view.y, W, H, state.version, moved, state.present].join("|");
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (key !== drawnKey) { drawn = placeLabels(ctx, W, H); drawnKey = key; }
    var t = theme();
    ctx.textBaseline = "middle"; ctx.textAlign = "left";
    drawn.forEach(function (b) {
      ctx.font = (b.ring ? "italic " : "") + b.font + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
      ctx.fillStyle = t.plate;
      ctx.fillRect(b.x, b.y, b.w, b.h);
      ctx.fillStyle = b.ring ? t.ringText : t.text;
      ctx.fillText(b.text, b.x + Math.round(b.font * 0.3), b.y + b.h / 2 + 1);
    });
    ctx.restore();
  });
  network.on("dragging", function () { moved += 1; });
  // the labels actually drawn, as boxes in page pixels (for checks and for tests)
  window.__labelBoxes = function () {
    network.redraw();
    var r = $("network").getBoundingClientRect();
    return drawn.map(function (b) {
      return { text: b.text, x: r.left + b.x, y: r.top + b.y, w: b.w, h: b.h, font: b.font,
               ring: !!b.ring, id: b.id === undefined ? null : b.id };
    });
  };

  // --- views and presentation ---------------------------------------------------------------
  var ORDER = ["map", "spheres", "civic", "gatekeepers", "missing"];
  function fitAll(fitted) {
    if (!fitted) network.fit({ animation: false }); // vis-network fits a new map itself
    network.moveTo({ scale: network.getScale() * 0.94, animation: false });
    fitScale = network.getScale();
    if (state.zoomLabels) { state.zoomLabels = false; refresh(); }
  }
  function setView(id, initial) {
    var v = viewOf(id);
    if (!v) return false;
    state.view = id; state.focus = null;
    state.layout = (id === "spheres" || (id === "missing" && viewOf("spheres").available)) ? "spheres" : "map";
    $("details").hidden = true;
    if (!initial) { refresh(); caption(v); } // the first drawing was made for the first view
    fitAll(initial);
    return true;
  }
  // the buttons and caption of a view (set before the first drawing, so the map's size is final)
  function caption(v) {
    Array.prototype.forEach.call($("views").children, function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-view") === v.id ? "true" : "false");
    });
    $("caption-title").textContent = v.title + (v.count !== null && v.count !== undefined ? " (" + v.count + ")" : "") + ":";
    $("caption-text").textContent = !v.available ? "not available for this map."
      : (v.count === 0 && v.empty ? v.empty : v.caption);
    document.body.setAttribute("data-view", v.id);
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
    tip.hidden = true;
    network.setSize("100%", "100%");
    if (state.present) setView("map"); else { refresh(); fitAll(); }
    return state.present;
  }

  // rings of the sphere layout, drawn under the nodes (their labels are drawn with the others)
  network.on("beforeDrawing", function (ctx) {
    if (!spheres()) return;
    ctx.save();
    D.rings.forEach(function (ring, k) {
      if (ring.r <= 0) return;
      ctx.beginPath(); ctx.arc(0, 0, ring.r, 0, 2 * Math.PI);
      ctx.strokeStyle = theme().ring;
      ctx.lineWidth = 2 / Math.max(network.getScale(), 0.05); ctx.setLineDash(k === 4 ? [8, 6] : []); ctx.stroke();
    });
    ctx.restore();
  });

  function setFilter(key, value) { state.filters[key] = value || ""; refresh(); }

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
      var units = {};
      hits.slice(0, 200).forEach(function (n) { units[unitOf(n.id)] = true; });
      var ids = Object.keys(units).map(Number);
      network.selectNodes(ids);
      if (hits.length <= 200) network.fit({ nodes: ids, animation: false });
      if (ids.length === 1) network.moveTo({ scale: Math.min(network.getScale(), 1.2) });
    } else { network.unselectAll(); }
    return hits.map(function (n) { return n.label; });
  }

  // --- details and neighbourhood focus ------------------------------------------------------
  function showFields(title, fields) {
    var list = $("details-list");
    while (list.firstChild) list.removeChild(list.firstChild);
    $("details-title").textContent = title;
    fields.forEach(function (f) {
      list.appendChild(el("dt", NAMES[f[0]] || f[0].replace(/_/g, " ")));
      list.appendChild(el("dd", f[1]));
    });
    $("details").hidden = false;
  }
  // one line per tie, written when an actor is opened: "knows -> Name: their note"
  function tieLines(k) {
    var lines = [], total = 0;
    (D.ties || []).forEach(function (t) {
      if (t[0] !== k && t[1] !== k) return;
      total += 1;
      if (lines.length >= 25) return;
      var out = t[0] === k, other = D.nodes[out ? t[1] : t[0]];
      var arrow = t[3] ? (out ? "->" : "<-") : "--";
      lines.push(D.tieKinds[t[2]] + " " + arrow + " " + other.label + (t[4] ? ": " + t[4] : ""));
    });
    if (total > 25) lines.push("... and " + (total - 25) + " more");
    return lines.join("\n");
  }
  function showDetails(id) {
    var n = byId[id];
    $("regroup").hidden = true;
    if (n) {
      if (n.c !== undefined && !state.open[n.c]) expand(n.c);
      var fields = n.fields.slice(), ties = tieLines(n.id);
      if (ties) fields.push(["ties", ties]);
      if (n.status) fields.push(["who is missing", n.status]);
      showFields(n.label, fields);
      var near = network.getConnectedNodes(id);
      state.focus = id; state.focusSet = {}; state.focusSet[id] = true;
      near.forEach(function (k) { state.focusSet[k] = true; });
      refresh();
      network.selectNodes([id]);
      network.fit({ nodes: [id].concat(near), animation: false });
      return true;
    }
    if (id >= GROUP && B[id - GROUP]) return openGroup(id - GROUP);
    if (id >= GHOST && D.ghosts[id - GHOST]) { showFields(D.ghosts[id - GHOST].label, D.ghosts[id - GHOST].fields); return true; }
    return false;
  }
  function openGroup(j) {
    var b = B[j], fields = [["members", String(b.members.length)]];
    D.views.forEach(function (v) { var k = b.hl[v.id];
      if (k) fields.push([v.title, k + " " + v.words[k === 1 ? 0 : 1]]); });
    expand(j);
    showFields(b.label, fields);
    $("regroup").hidden = false;
    state.lastOpened = j;
    network.fit({ nodes: b.members.slice(0, 2000), animation: false });
    return true;
  }
  function clearFocus() { state.focus = null; $("details").hidden = true; refresh(); fitAll(); }
  network.on("click", function (p) {
    if (p.nodes.length) showDetails(p.nodes[0]);
    else if (state.focus !== null) clearFocus();
    else if (Object.keys(state.open).length) { collapseAll(); $("details").hidden = true; fitAll(); }
  });

  // --- hover tooltip (text only); the labels left out show here -----------------------------
  var tip = $("tooltip");
  network.on("hoverNode", function (p) {
    var n = byId[p.node], g = D.ghosts[p.node - GHOST], b = B[p.node - GROUP];
    var lines = n ? [nodeLabel(n)].concat(n.fields.filter(function (f) { return f[0] === "kind" || f[0] === "sector" || f[0] === "sub_area"; })
                                     .map(function (f) { return (NAMES[f[0]] || f[0]) + ": " + f[1]; }))
                  : (g ? [g.label] : (b ? [groupLabel(b, p.node - GROUP), "Click or tap to show them"] : []));
    tip.textContent = lines.join("\n");
    var W = $("network").clientWidth;
    tip.style.left = Math.min(p.pointer.DOM.x + 14, Math.max(W - 360, 0)) + "px";
    tip.style.top = (p.pointer.DOM.y + 14) + "px";
    tip.hidden = false;
    state.hovered = p.node;
  });
  network.on("blurNode", function () { tip.hidden = true; delete state.hovered; });
  network.on("zoom", function () {
    if (fitScale === null) return;
    var want = network.getScale() > fitScale * 1.8;
    if (want !== state.zoomLabels) { state.zoomLabels = want; refresh(); }
  });

  setView("map", true);
})();
