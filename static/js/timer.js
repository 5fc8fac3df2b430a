// Round timer: counts down from the seconds the server measured when it drew the page, so a
// device whose own clock is wrong still shows the right time left. Runs again after every
// htmx swap (a new timer, or a restarted one, arrives in a swapped fragment).
(function () {
  "use strict";
  function format(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }
  function start(root) {
    root.querySelectorAll("[data-timer]:not([data-timer-running])").forEach(function (el) {
      el.setAttribute("data-timer-running", "");
      const deadline = Date.now() + Number(el.dataset.remaining) * 1000;
      const clock = el.querySelector("[data-clock]");
      const over = el.querySelector("[data-timer-over]");
      function tick() {
        if (!el.isConnected) return;
        const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        clock.textContent = format(left);
        if (left === 0) {
          over.hidden = false;
          el.classList.add("is-over");
          return;
        }
        setTimeout(tick, 1000);
      }
      tick();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("htmx:afterSettle", function () { start(document); });
})();
