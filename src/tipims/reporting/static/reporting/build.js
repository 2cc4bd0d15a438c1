// Polls a report build's status while it runs and moves the <progress> bar; reloads when it ends.
(function () {
  "use strict";
  var panel = document.getElementById("build-progress");
  if (!panel) { return; }
  var bar = document.getElementById("build-bar");
  var step = document.getElementById("build-step");
  var url = panel.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.value = status.progress;
        bar.textContent = status.progress + "%";
        step.textContent = status.step;
        if (status.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
