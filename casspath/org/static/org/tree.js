// The org tree opens level by level: a unit's toggle button shows or hides its children,
// fetching them (an htmx fragment) the first time. Buttons and links are the keyboard's:
// Tab moves between them, Enter or Space opens and closes. "Show more" is plain htmx; the
// first unit it adds is marked data-tree-focus and focused here once. Not the autofocus
// attribute: the browser would focus it again at its next paint, after the user has moved
// on. No inline script (CSP).
(function () {
  function message(list, text) {
    var item = document.createElement("li");
    item.className = "text-muted small tree-message";
    item.textContent = text;
    list.replaceChildren(item);
  }

  function load(button, list) {
    var tree = button.closest(".tree");
    list.dataset.state = "loading";
    button.setAttribute("aria-busy", "true");
    message(list, tree.dataset.loading);
    window.htmx.ajax("GET", button.dataset.childrenUrl, { target: list, swap: "innerHTML" }).then(function () {
      button.removeAttribute("aria-busy");
      // Refused or failed (htmx swapped nothing), or not the tree's fragment (a login page
      // after the session ended): say so, and fetch again on the next open.
      if (!list.querySelector(":scope > li[id^='tree-'], :scope > li.tree-more")) {
        message(list, tree.dataset.error);
        delete list.dataset.state;
      } else {
        list.dataset.state = "loaded";
      }
    });
  }

  function toggle(button) {
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    if (button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      list.hidden = true;
      return;
    }
    button.setAttribute("aria-expanded", "true");
    list.hidden = false;
    // Rendered open by the server, or fetched before: nothing to load.
    if (list.dataset.state !== "loading" && list.dataset.state !== "loaded" && !list.querySelector("li:not(.tree-message)")) {
      load(button, list);
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".tree .tree-toggle");
    if (button) toggle(button);
  });

  document.addEventListener("htmx:afterSettle", function () {
    var link = document.querySelector(".tree [data-tree-focus]");
    if (!link) return;
    link.removeAttribute("data-tree-focus");
    link.focus();
  });

  // A unit revealed (?open=CODE, from the search): into view, its link focused. After the
  // page has loaded: the browser's own jump to the #fragment would take the focus back.
  window.addEventListener("load", function () {
    var revealed = document.querySelector(".tree .tree-revealed");
    if (!revealed) return;
    revealed.scrollIntoView({ block: "center" });
    var link = revealed.querySelector(".tree-label a");
    if (link) link.focus({ preventScroll: true });
  });
})();
