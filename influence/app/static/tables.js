/* influence app: the editable tables of people and bodies and of ties (Tabulator).
   Every value reaches the page through Tabulator's escaping formatter or textContent. */
(function () {
  "use strict";
  var table = document.body.getAttribute("data-table");
  var csrf = document.querySelector("meta[name=csrf]").getAttribute("content");
  var messages = document.getElementById("messages");
  var grid;

  function escapeText(s) {
    return String(s).replace(/[&<>"'`=\/]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }

  function say(text, kind) {
    var p = document.createElement("p");
    p.className = kind || "";
    p.textContent = text;
    messages.replaceChildren(p);
  }

  function post(change) {
    return fetch("/api/change", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf,
                "X-Influence-Who": localStorage.getItem("influence-who") || ""},
      body: JSON.stringify(change)
    }).then(function (res) {
      return res.json().then(function (body) { return {status: res.status, body: body}; });
    });
  }

  function label(row) {
    var d = row.getData();
    return table === "actors" ? (d.name || d.id) : (d.source + " – " + d.target);
  }

  function showProblems(row, errors) {
    var lines = [];
    errors.forEach(function (e) {
      lines.push(label(row) + (e.column ? ", " + e.column : "") + ": " + e.message);
      if (e.column) {
        var cell = row.getCell(e.column);
        if (cell) {
          var el = cell.getElement();
          el.classList.add("invalid");
          el.setAttribute("title", e.message);
          var note = document.createElement("span");
          note.className = "field-error";
          note.textContent = e.message;
          el.appendChild(note);
          row.normalizeHeight();
        }
      }
    });
    say(lines.join("\n"));
  }

  function edited(cell) {
    var row = cell.getRow();
    var d = row.getData();
    var values = {};
    values[cell.getField()] = cell.getValue() === undefined ? null : cell.getValue();
    post({table: table, op: "update", id: d._key, version: d._version, values: values})
      .then(function (r) {
        if (r.status === 200) {
          cell.getElement().classList.remove("invalid");
          cell.getElement().removeAttribute("title");
          row.update(r.body.row);
          row.reformat();
          row.normalizeHeight();
          say("Saved " + label(row) + ".", "saved");
        } else if (r.status === 409) {
          if (r.body.row) { row.update(r.body.row); row.reformat(); }
          else { row.delete(); }
          say(r.body.conflict, "conflict");
        } else {
          cell.restoreOldValue();
          showProblems(row, (r.body && r.body.errors) || [{message: "The change was not saved."}]);
        }
      }, function () { cell.restoreOldValue(); say("The app is not answering: is it still running?"); });
  }

  function remove(e, cell) {
    var row = cell.getRow();
    var d = row.getData();
    var what = table === "actors" ? "Delete " + label(row) + " and all their ties?"
                                  : "Delete the tie " + label(row) + "?";
    if (!window.confirm(what)) { return; }
    post({table: table, op: "delete", id: d._key, version: d._version}).then(function (r) {
      if (r.status === 200) { row.delete(); say("Deleted " + label(row) + ".", "saved"); count(); }
      else if (r.status === 409) { say(r.body.conflict, "conflict"); }
      else { say((r.body.errors || [{message: "Not deleted."}])[0].message); }
    });
  }

  function count() {
    var n = grid.getDataCount("active");
    document.getElementById("count").textContent = n + (n === 1 ? " row" : " rows");
  }

  fetch("/api/" + table, {credentials: "same-origin"}).then(function (r) { return r.json(); })
    .then(function (data) {
      var columns = data.columns.map(function (c) {
        return {title: escapeText(c.field), field: c.field, editor: c.editable ? "input" : false,
                headerSort: true, cssClass: c.private ? "private" : "",
                formatter: "plaintext", maxWidth: 360};
      });
      columns.push({title: "", field: "_delete", formatter: "buttonCross", width: 44,
                    headerSort: false, hozAlign: "center", cellClick: remove});
      grid = new Tabulator("#grid", {
        data: data.rows, index: "_key", columns: columns, layout: "fitDataStretch",
        pagination: true, paginationSize: 50, height: "calc(100vh - 16rem)",
        placeholder: "Nothing here yet"
      });
      grid.on("cellEdited", edited);
      grid.on("dataFiltered", function () { setTimeout(count, 0); });
      grid.on("tableBuilt", count);
    });

  document.getElementById("search").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    if (!q) { grid.clearFilter(); return; }
    grid.setFilter(function (d) {
      return Object.keys(d).some(function (k) {
        return k[0] !== "_" && d[k] !== null && d[k] !== undefined &&
          String(d[k]).toLowerCase().indexOf(q) >= 0;
      });
    });
  });

  document.getElementById("add").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var form = ev.target;
    var values = {};
    new FormData(form).forEach(function (v, k) { if (String(v).trim()) { values[k] = v; } });
    post({table: table, op: "add", values: values}).then(function (r) {
      if (r.status === 200) {
        grid.addRow(r.body.row, true);
        form.reset();
        say("Added " + (values.name || values.id || (values.source + " – " + values.target)) + ".",
            "saved");
        count();
      } else {
        var errs = (r.body && r.body.errors) || [{message: "Not added."}];
        say(errs.map(function (e) { return (e.column ? e.column + ": " : "") + e.message; })
          .join("\n"));
      }
    });
  });
})();
