// casspath: a learning resource's player (cass/views/resources.py). Posts the position of
// the <video>/<audio> carrying data-progress-url every PERIOD seconds while it plays, on
// pause and at the end, and resumes where the learner left off (data-resume). A static
// file, no inline script (CSP). The server keeps the furthest point and completion.
(function () {
  var PERIOD_MS = 15000;
  function form(el, ended) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", el.dataset.csrf);
    data.append("position", String(el.currentTime || 0));
    if (ended) data.append("ended", "on");
    return data;
  }
  function clock(seconds) {
    var total = Math.round(seconds), m = Math.floor(total / 60), s = total % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function show(el, state) {
    var status = document.getElementById(el.dataset.status);
    if (!status || !state) return;
    status.textContent = state.completed ? status.dataset.completedText
      : status.dataset.atText.replace("__POSITION__", clock(state.position));
  }
  function post(el, ended) {
    el.dataset.lastPosted = String(el.currentTime);
    return fetch(el.dataset.progressUrl, { method: "POST", body: form(el, ended), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { show(el, state); })
      .catch(function () { /* offline: the next post says where he is */ });
  }
  function setUp(el) {
    var timer = null;
    var resume = parseFloat(el.dataset.resume || "0");
    function stop() { if (timer) { clearInterval(timer); timer = null; } }
    function seekToResume() {
      if (resume > 0 && resume < el.duration - 1) el.currentTime = resume;
    }
    // The metadata may have come (from the cache) before this deferred script ran.
    if (el.readyState >= 1) seekToResume();
    else el.addEventListener("loadedmetadata", seekToResume, { once: true });
    el.addEventListener("play", function () {
      if (timer) return;
      timer = setInterval(function () {
        if (!el.paused && String(el.currentTime) !== el.dataset.lastPosted) post(el, false);
      }, PERIOD_MS);
    });
    el.addEventListener("pause", function () { stop(); if (!el.ended) post(el, false); });
    el.addEventListener("ended", function () { stop(); post(el, true); });
    // Leaving the page while it plays: one last position, sent even as the page goes.
    window.addEventListener("pagehide", function () {
      if (!el.paused && navigator.sendBeacon) navigator.sendBeacon(el.dataset.progressUrl, form(el, false));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("video[data-progress-url], audio[data-progress-url]").forEach(setUp);
  });
})();
