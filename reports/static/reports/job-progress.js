// A background job's page (reports/pack_job.html): polls the job's JSON while it runs and
// shows its step and page count; once it has ended, reloads, so that the server shows the
// outcome (the download, the Final version, or what went wrong). Without JavaScript, the page
// refreshes itself instead (<noscript> meta refresh). A static file: no inline script.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-status-url");
  var interval = 1000;

  function show(name, value) {
    var element = box.querySelector('[data-job-field="' + name + '"]');
    if (element && value !== null && value !== undefined && value !== "") {
      element.textContent = value;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
          return;
        }
        show("state_label", job.state_label);
        show("step", job.step);
        if (job.pages) {
          show("pages", job.pages);
          box.querySelector('[data-job-field="pages-line"]').hidden = false;
        }
        interval = 1000;
        window.setTimeout(poll, interval);
      })
      .catch(function () {
        // The server did not answer (a restart, a network blip): ask again, less often.
        interval = Math.min(interval * 2, 10000);
        window.setTimeout(poll, interval);
      });
  }

  window.setTimeout(poll, interval);
}());
