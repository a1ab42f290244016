// The process map: "open all" / "close all" the steps, and print with every step opened
// (a closed <details> prints closed in some browsers whatever the stylesheet says).
(function () {
  "use strict";
  function steps() { return document.querySelectorAll(".pm-step > details"); }
  function setAll(open) { steps().forEach(function (d) { d.open = open; }); }
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-pm-toggle]");
    if (toggle) {
      var openLabel = toggle.textContent, closeLabel = toggle.getAttribute("data-close-label") || openLabel;
      toggle.addEventListener("click", function () {
        var opening = toggle.getAttribute("data-pm-toggle") === "open";
        setAll(opening);
        toggle.setAttribute("data-pm-toggle", opening ? "close" : "open");
        toggle.textContent = opening ? closeLabel : openLabel;
      });
    }
    var print = document.querySelector("[data-pm-print]");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
    // A link to a step (#ps-CODE: where a save returns) opens it and scrolls it into view
    // again, once the steps above it have their final height.
    function openTarget() {
      var target = location.hash && document.getElementById(location.hash.slice(1));
      if (!target) { return; }
      var details = target.querySelector(":scope > details");
      if (details) { details.open = true; }
      var inside = target.closest(".pm-step > details");
      if (inside) { inside.open = true; }
      target.scrollIntoView({ block: "start" });
    }
    openTarget();
    window.addEventListener("hashchange", openTarget);
  });
  window.addEventListener("beforeprint", function () { setAll(true); });
})();
