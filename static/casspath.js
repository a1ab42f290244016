// casspath: charts from JSON embedded with json_script (no inline script, CSP script-src 'self').
// Numbers on bars and in tooltips read 12,345 in both languages, like the cards (the
// `thousands` template filter); JSON cannot carry the formatter functions.
(function () {
  var grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  function number(value) { return typeof value === "number" ? grouped.format(value) : value; }
  function withGroupedNumbers(option) {
    // Tooltips drawn on the canvas (richText): ECharts' HTML tooltips carry inline styles
    // (the series markers, a placed arrow), which the content security policy refuses.
    option.tooltip = Object.assign({ valueFormatter: number, renderMode: "richText" }, option.tooltip || {});
    (option.series || []).forEach(function (series) {
      if (series.type === "bar" && series.label && series.label.show && !series.label.formatter) {
        series.label.formatter = function (params) { return number(params.value); };
      }
    });
    return option;
  }
  function renderCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.rendered) return;
      var chart = window.echarts.init(el);
      chart.setOption(withGroupedNumbers(JSON.parse(source.textContent)));
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { renderCharts(e.target); });
})();

// Unit pickers (org/widgets/unit_picker.html): a text box whose matching units htmx fetches as
// one types; chosen with the arrow keys and Enter, a click or a tap (the ARIA combobox
// pattern). The box holds the chosen unit's code, which the form checks; without this script
// it is a plain text box for a code.
(function () {
  function parts(input) {
    return {
      list: document.getElementById(input.getAttribute("aria-controls")),
      chosen: document.getElementById(input.id + "-chosen"),
    };
  }
  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }
  function close(input) {
    var list = parts(input).list;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function activate(input, index) {
    var list = parts(input).list, all = options(list);
    all.forEach(function (option, i) {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function choose(input, option) {
    if (window.htmx) window.htmx.trigger(input, "htmx:abort");  // a slower answer must not reopen it
    input.value = option.dataset.code;
    input.dataset.chosenCode = option.dataset.code;
    parts(input).chosen.textContent = option.dataset.label;
    close(input);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function activeIndex(input) {
    var list = parts(input).list;
    return options(list).findIndex(function (o) { return o.classList.contains("active"); });
  }

  // The typed text goes as `q`, whatever the box's own name (unit, org_unit, parent).
  document.addEventListener("htmx:configRequest", function (e) {
    var input = e.detail.elt;
    if (!input.hasAttribute || !input.hasAttribute("data-unit-picker-input")) return;
    e.detail.parameters.q = input.value;
    delete e.detail.parameters[input.name];
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var list = e.target;
    if (!list.classList || !list.classList.contains("unit-picker-options")) return;
    var input = document.querySelector("[aria-controls='" + list.id + "']");
    if (!input || document.activeElement !== input) { if (input) close(input); return; }
    list.querySelectorAll("[role=option]").forEach(function (option, i) { option.id = list.id + "-" + i; });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    activate(input, -1);
  });
  document.addEventListener("keydown", function (e) {
    var input = e.target;
    if (!input.hasAttribute || !input.hasAttribute("data-unit-picker-input")) return;
    var list = parts(input).list, all = options(list), index = activeIndex(input);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (list.hidden) { if (all.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } return; }
      e.preventDefault();
      var step = e.key === "ArrowDown" ? 1 : -1;
      activate(input, Math.max(0, Math.min(all.length - 1, index + step)));
    } else if (e.key === "Enter" && !list.hidden && index >= 0) {
      e.preventDefault();  // choose, do not submit yet
      choose(input, all[index]);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close(input);
    }
  });
  document.addEventListener("input", function (e) {
    var input = e.target;
    if (!input.hasAttribute || !input.hasAttribute("data-unit-picker-input")) return;
    if (input.value !== input.dataset.chosenCode) parts(input).chosen.textContent = "";
  });
  // mousedown would move the focus out of the box (and close the list) before the click.
  document.addEventListener("mousedown", function (e) {
    if (e.target.closest && e.target.closest(".unit-picker-options")) e.preventDefault();
  });
  document.addEventListener("click", function (e) {
    var option = e.target.closest && e.target.closest(".unit-picker-option");
    if (!option) return;
    var list = option.closest(".unit-picker-options");
    var input = document.querySelector("[aria-controls='" + list.id + "']");
    if (input) choose(input, option);
  });
  document.addEventListener("focusout", function (e) {
    var input = e.target;
    if (!input.hasAttribute || !input.hasAttribute("data-unit-picker-input")) return;
    close(input);
  });
})();
