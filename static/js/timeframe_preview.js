// The action form's timeframe feedback as one types: asks the server how it reads the text
// (the same words the page shows after saving). Without this script the feedback comes after
// saving, from the page itself.
(function () {
  "use strict";
  document.querySelectorAll("form[data-timeframe-preview]").forEach(function (form) {
    var input = form.querySelector("input[name='timeframe']");
    var reading = form.querySelector("[data-timeframe-reading]");
    if (!input || !reading) return;
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var mine = ++asked;
        var url = form.dataset.timeframePreview + "?text=" + encodeURIComponent(input.value);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (answer) {
            if (answer && mine === asked) reading.textContent = answer.reading;
          })
          .catch(function () { /* keep the last reading; saving still says how it reads */ });
      }, 300);
    });
  });
})();
