// Live pages without a login: the server answers a poll with 204 and the event below instead
// of swapping a login page into the projector (sessions/access.py, polled()). The projector
// keeps its last picture, says so in one discreet line, and picks up again after a new login.
(function () {
  "use strict";
  var EVENT = "evaluatiespiegel:login-verlopen";

  function status() { return document.querySelector("[data-live-status]"); }

  document.addEventListener(EVENT, function () {
    var line = status();
    if (line) line.hidden = false;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var line = status();
    if (!line || !xhr || !event.detail.successful) return;
    var trigger = xhr.getResponseHeader("HX-Trigger") || "";
    if (trigger.indexOf(EVENT) === -1) line.hidden = true;
  });
})();
