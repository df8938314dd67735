/* influence app: the parts every page shares (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  var who = document.getElementById("who");
  if (who) {
    who.value = localStorage.getItem("influence-who") || "";
    who.addEventListener("change", function () {
      localStorage.setItem("influence-who", who.value.trim());
    });
  }
  document.querySelectorAll("form[data-who]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var msg = form.getAttribute("data-confirm");
      if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
      var field = form.querySelector("input[name=who]");
      if (field) { field.value = localStorage.getItem("influence-who") || ""; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();
