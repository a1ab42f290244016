// casspath: charts from JSON embedded with json_script (no inline script, CSP script-src 'self').
(function () {
  function renderCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.rendered) return;
      var chart = window.echarts.init(el);
      chart.setOption(JSON.parse(source.textContent));
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { renderCharts(e.target); });
})();
