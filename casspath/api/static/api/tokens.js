// The "API tokens" page: copy the new secret with one tap (it is shown only once).
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var input = document.getElementById(button.dataset.copyTarget);
    if (!input) return;
    input.select();
    var done = function () { button.textContent = button.dataset.copiedText; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
