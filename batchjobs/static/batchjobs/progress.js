// Progress bars of batch jobs (the job list and a job's page): poll the admin's JSON every
// second while a job is not final; reload a job's page when its status changes.
(function () {
  "use strict";
  var FINAL = ["completed", "canceled", "failed"];
  function bars() { return Array.prototype.slice.call(document.querySelectorAll("[data-batch-job]")); }
  function url() {
    var here = window.location.pathname;
    var base = here.slice(0, here.indexOf("/batchjobs/batchjob/") + "/batchjobs/batchjob/".length);
    return base + "progress/?" + bars().map(function (b) { return "id=" + encodeURIComponent(b.dataset.batchJob); }).join("&");
  }
  function tick() {
    var live = bars().filter(function (b) { return FINAL.indexOf(b.dataset.status) < 0; });
    if (!live.length) { return; }
    fetch(url(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        live.forEach(function (bar) {
          var job = data.batch_jobs[bar.dataset.batchJob];
          if (!job) { return; }
          bar.querySelector("progress").value = job.progress;
          bar.querySelector(".bj-label").textContent = job.status_display + " · " + job.advancement_count + " / " + job.count;
          if (job.status !== bar.dataset.status) {
            bar.dataset.status = job.status;
            if (document.body.classList.contains("bj-job-page")) { window.location.reload(); }
          }
        });
      })
      .catch(function () {})
      .then(function () { window.setTimeout(tick, 1000); });
  }
  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(tick, 500); });
})();
