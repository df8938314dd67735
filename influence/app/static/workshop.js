/* influence mapping workshop: phones, facilitator and projector. User text only via textContent. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var page = document.body.getAttribute("data-page");
  var csrf = (document.querySelector('meta[name="csrf"]') || {}).content;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function showError(text) {
    var e = $("error");
    if (!e) return;
    e.textContent = text || "";
    e.hidden = !text;
  }
  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin",
                        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                        body: JSON.stringify(body || {}) })
      .then(function (r) {
        return r.json().catch(function () { return { error: "The server answered " + r.status + "." }; })
          .then(function (d) { d._status = r.status; return d; });
      }, function () { return { error: "No connection to the workshop. Check the Wi-Fi and try again.", _status: 0 }; });
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (d) { d._status = r.status; return d; });
    });
  }
  /* Server-sent events with reconnection (the browser retries; we also restart a dead stream). */
  function live(url, onState, onLink) {
    var es = null, timer = null;
    function open() {
      es = new EventSource(url);
      es.addEventListener("state", function (e) { onLink(true); onState(JSON.parse(e.data)); });
      es.onerror = function () {
        onLink(false);
        if (es.readyState === 2) { clearTimeout(timer); timer = setTimeout(open, 1000); }
      };
    }
    open();
  }

  // --- phones --------------------------------------------------------------------------------
  function phone() {
    var joined = false;
    function status(text) { $("status").textContent = text || ""; }
    function fill(data) {
      joined = true;
      $("join").hidden = true; $("work").hidden = false;
      status((data.ended ? "The workshop has ended. Thank you! " : data.paused ?
              "Input is paused for a moment. " : "") + "You are " + data.nickname + ".");
      var choices = data.actors.concat(data.mine.filter(function (m) {
        return m.what === "actor" && m.status === "pending";
      }).map(function (m) { return { ref: m.ref, name: m.name + " (waiting)" }; }));
      Array.prototype.forEach.call(document.querySelectorAll("select.actors"), function (s) {
        var keep = s.value;
        while (s.firstChild) s.removeChild(s.firstChild);
        s.appendChild(el("option", "Choose…")).value = "";
        (s.classList.contains("on-map") ? data.actors : choices).forEach(function (a) {
          var o = el("option", a.name); o.value = a.ref; s.appendChild(o);
        });
        s.value = keep;
      });
      var mine = $("mine");
      while (mine.firstChild) mine.removeChild(mine.firstChild);
      data.mine.slice().reverse().forEach(function (m) {
        mine.appendChild(el("li", (m.name || "a tie") + ": " + (m.status === "pending" ?
          "waiting" : m.status === "accepted" ? "on the map" : m.status === "merged" ?
          "on the map (merged)" : "not used")));
      });
    }
    function refresh() {
      return getJSON("/w/api/me").then(function (d) {
        if (d._status === 200) { showError(""); fill(d); }
        else { joined = false; $("join").hidden = false; $("work").hidden = true;
               if (d._status !== 401) showError(d.error); }
      }).catch(function () { status("Reconnecting…"); });
    }
    $("join").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = ev.target;
      post("/w/api/join", { code: f.code.value, nickname: f.nickname.value }).then(function (d) {
        if (d.ok) { showError(""); refresh(); startLive(); } else showError(d.error);
      });
    });
    function send(what, values, form) {
      post("/w/api/contribute", { what: what, values: values }).then(function (d) {
        if (d.ok) { showError(""); status(d.message); form.reset(); refresh(); }
        else showError(d.error);
      });
    }
    $("add-actor").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = ev.target, tower = f.querySelector('input[name="influence"]:checked');
      send("actor", { name: f.name.value, kind: f.kind.value, sub_area: f.sub_area.value,
                      influence: tower ? tower.value : "", stance: f.stance.value }, f);
    });
    $("add-tie").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = ev.target;
      send("tie", { source: f.source.value, target: f.target.value, how_well: f.how_well.value }, f);
    });
    $("rate").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = ev.target, tower = f.querySelector('input[name="influence"]:checked');
      send("rate", { actor: f.actor.value, influence: tower ? tower.value : "",
                     stance: f.stance.value }, f);
    });
    $("load-missing").addEventListener("click", function () {
      getJSON("/w/api/missing").then(function (d) {
        var ul = $("missing");
        while (ul.firstChild) ul.removeChild(ul.firstChild);
        (d.missing || []).forEach(function (m) { ul.appendChild(el("li", m.body + (m.theme ? " (" + m.theme + ")" : ""))); });
        if (!(d.missing || []).length) ul.appendChild(el("li", "No suggestions right now."));
      });
    });
    var started = false;
    function startLive() {
      if (started) return;
      started = true;
      var last = null, timer = null;
      live("/w/events?role=phone", function (s) {
        var now = [s.change, s.paused, s.ended].join();
        if (now === last || timer) return;
        var first = last === null;
        last = now;
        // a room full of phones must not all ask at once: spread over a second or two
        timer = setTimeout(function () { timer = null; refresh(); },
                           first ? 0 : 500 + Math.random() * 1500);
      }, function (ok) { if (!ok) status("Reconnecting…"); });
    }
    refresh().then(function () { if (joined) startLive(); else $("join").hidden = false; });
  }

  // --- facilitator -------------------------------------------------------------------------------
  function facilitator() {
    var paused = false;
    function describe(it) {
      if (it.what === "actor") {
        var v = it.values, bits = [v.kind.replace(/_/g, " ")];
        if (v.sub_area) bits.push(v.sub_area);
        if (v.influence !== undefined) bits.push("influence " + v.influence);
        if (v.stance) bits.push(v.stance);
        return v.name + " (" + bits.join(", ") + ")";
      }
      if (it.what === "rate") {
        var r = [];
        if (it.values.influence !== undefined) r.push("influence tower " + it.values.influence);
        if (it.values.stance) r.push(it.values.stance);
        return it.labels[0] + ": " + r.join(", ");
      }
      return it.labels[0] + " knows " + it.labels[1] + " (" + it.values.how_well + ")";
    }
    function act(action, body) {
      return post("/w/api/" + action, body).then(function (d) {
        showError(d.ok ? "" : d.error);
        load();
        return d;
      });
    }
    function item(it) {
      var li = el("li", null, "item " + it.what);
      li.setAttribute("data-id", it.id);
      li.appendChild(el("span", describe(it), "what"));
      li.appendChild(el("span", " from " + it.nickname, "who"));
      if (it.status !== "pending") { li.appendChild(el("span", " — " + it.status, "state")); return li; }
      var name = null, area = null;
      if (it.what === "actor") {
        name = el("input"); name.value = it.values.name; name.className = "edit";
        name.setAttribute("aria-label", "Name");
        li.appendChild(name);
        area = el("input"); area.value = it.values.sub_area || ""; area.className = "edit area";
        area.setAttribute("aria-label", "Part of the area"); area.placeholder = "part of the area";
        li.appendChild(area);
      }
      var ok = el("button", "Accept"); ok.type = "button"; ok.className = "accept";
      ok.addEventListener("click", function () {
        act("accept", { id: it.id, values: name ? { name: name.value, sub_area: area.value } : {} });
      });
      li.appendChild(ok);
      (it.looks_like || []).forEach(function (m) {
        var b = el("button", "Looks like " + m.name + " — merge?"); b.type = "button"; b.className = "merge";
        b.addEventListener("click", function () { act("merge", { id: it.id, actor: m.id }); });
        li.appendChild(b);
      });
      var no = el("button", "Reject"); no.type = "button"; no.className = "reject secondary";
      no.addEventListener("click", function () { act("reject", { id: it.id }); });
      li.appendChild(no);
      return li;
    }
    function load() {
      getJSON("/w/api/queue").then(function (d) {
        if (d._status !== 200) { showError(d.detail || "Reload the page."); return; }
        var q = $("queue"), done = $("done");
        [q, done].forEach(function (u) { while (u.firstChild) u.removeChild(u.firstChild); });
        var waiting = d.queue.filter(function (it) { return it.status === "pending"; });
        waiting.forEach(function (it) { q.appendChild(item(it)); });
        d.queue.filter(function (it) { return it.status !== "pending"; }).reverse().slice(0, 30)
          .forEach(function (it) { done.appendChild(item(it)); });
        $("count").textContent = "(" + waiting.length + ")";
        paused = d.paused;
        $("pause").textContent = paused ? "Resume input" : "Pause input";
        $("code").textContent = d.code;
        var u = $("join-url"); u.textContent = u.textContent.replace(/code=[A-Z0-9]+/, "code=" + d.code);
        Array.prototype.forEach.call($("views").querySelectorAll("button"), function (b) {
          b.setAttribute("aria-pressed", b.getAttribute("data-view") === d.view ? "true" : "false");
        });
        $("ended").textContent = d.ended ? "Ended and saved as snapshot “" + d.ended + "”. Run the review on it." : "";
      });
    }
    $("pause").addEventListener("click", function () { act("pause", { paused: !paused }); });
    $("undo").addEventListener("click", function () { act("undo"); });
    $("revoke").addEventListener("click", function () { act("revoke"); });
    $("end").addEventListener("click", function () {
      if (window.confirm("End the workshop and save the map as a snapshot?")) act("end");
    });
    Array.prototype.forEach.call($("views").querySelectorAll("button"), function (b) {
      b.addEventListener("click", function () { act("view", { view: b.getAttribute("data-view") }); });
    });
    live("/w/events?role=facilitator", function () { load(); }, function () {});
    load();
  }

  // --- projector ---------------------------------------------------------------------------------
  function projector() {
    var frame = $("map-frame"), shown = null, view = "map", code = $("code").textContent;
    window.workshopProjector = { updates: 0 };
    function keyOf(n) {
      for (var i = 0; i < (n.fields || []).length; i++) if (n.fields[i][0] === "id") return String(n.fields[i][1]);
      return String(n.label);
    }
    function api() {
      try { return frame.contentWindow && frame.contentWindow.influenceMap; } catch (e) { return null; }
    }
    function reload(change) { shown = change; frame.src = "/w/projector/map?c=" + change; }
    frame.addEventListener("load", function () {
      var M = api();
      if (M) { M.present(true); M.setView(view); }
      window.workshopProjector.updates += 1;
      window.workshopProjector.change = shown;
    });
    function grow(M, id, size) {
      var t0 = performance.now();
      function tick(t) {
        var f = Math.min(1, (t - t0) / 700);
        M.nodes.update({ id: id, size: Math.max(1, size * f) });
        if (f < 1) requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
    }
    function apply(d) {
      var M = api();
      if (!M || !d.nodes || !d.nodes.length || !M.data.nodes.length) { reload(d.change); return; }
      var D = M.data, idOf = {}, next = 0, fresh = {};
      D.nodes.forEach(function (n) { idOf[keyOf(n)] = n.id; next = Math.max(next, n.id + 1); });
      var seen = {};
      d.nodes.forEach(function (n) { seen[keyOf(n)] = true; });
      for (var k in idOf) if (!seen[k]) { reload(d.change); return; } // someone left: redraw
      var visId = d.nodes.map(function (n) {
        var key = keyOf(n), id = idOf[key];
        if (id === undefined) { id = next++; fresh[id] = true; }
        n.id = id;
        return id;
      });
      ["groups", "views", "rings"].forEach(function (name) {
        if (!d[name]) return;
        D[name].length = 0;
        d[name].forEach(function (x) { D[name].push(x); });
      });
      D.nodes.length = 0;
      d.nodes.forEach(function (n) { D.nodes.push(n); });
      d.nodes.forEach(function (n) {
        if (!fresh[n.id]) { M.nodes.update({ id: n.id, size: n.size }); return; }
        n.top = true; // the room's own additions are labelled
        M.nodes.add({ id: n.id, x: n.x, y: n.y, size: 1, label: n.label, shape: "dot", borderWidth: 1,
                      color: { background: (D.groups[n.g] || {}).color || "#B0B0B0", border: "#333" } });
        grow(M, n.id, n.size);
      });
      M.edges.clear();
      M.edges.add(d.edges.map(function (e, k) {
        return { id: k, from: visId[e[0]], to: visId[e[1]], width: 0.6 + 0.6 * (e[2] - 1),
                 arrows: D.directed ? "to" : undefined };
      }));
      M.setView(view);
      shown = d.change;
      window.workshopProjector.updates += 1;
      window.workshopProjector.change = d.change;
    }
    function update(change) {
      if (change === shown) return;
      getJSON("/w/projector/data").then(function (d) {
        try { apply(d); } catch (e) { reload(d.change); }
      });
    }
    live("/w/events?role=projector", function (s) {
      $("live").textContent = s.paused ? "input paused" : s.ended ? "workshop ended" : "live";
      if (s.code && s.code !== code) { window.location.reload(); return; }
      if (s.view !== view) { view = s.view; var M = api(); if (M) M.setView(view); }
      if (shown === null) shown = s.change; else update(s.change);
    }, function (ok) { if (!ok) $("live").textContent = "reconnecting…"; });
  }

  if (page === "phone") phone();
  else if (page === "facilitator") facilitator();
  else if (page === "projector") projector();
})();
