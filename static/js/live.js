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

// Room versions (sessions/live.py): a poll's answer names the version of the room it saw in
// X-Room-Version; the next poll of the same element sends it back as `rv`, and while nothing
// in the room changed the server answers 204 from its shared cache, without the database.
// Kept per element id, not on the element: a swap replaces the element.
(function () {
  "use strict";
  var HEADER = "X-Room-Version";
  var seen = {};

  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id && seen[elt.id] && event.detail.verb === "get") {
      event.detail.parameters.rv = seen[elt.id];
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!elt || !elt.id || !xhr || [200, 204, 286].indexOf(xhr.status) === -1) return;
    var version = xhr.getResponseHeader(HEADER);
    // A 204 from the cache names no version: the one sent still holds.
    if (version) seen[elt.id] = version;
    else if (xhr.status !== 204) delete seen[elt.id];
  });
})();

// The connection: while polls (or a submit) cannot reach the server, one discreet line says
// so, on the participant's page and on the projector; when a request gets through again it
// goes, and the page is told (scoring.js sends points that did not arrive).
(function () {
  "use strict";
  var failing = false;

  function set(lost) {
    var was = failing;
    failing = lost;
    var line = document.querySelector("[data-connection]");
    if (line) line.hidden = !lost;
    if (was && !lost) {
      document.dispatchEvent(new CustomEvent("evaluatiespiegel:verbinding-terug"));
    }
  }

  function lost(event) {
    var xhr = event.detail && event.detail.xhr;
    // A 4xx is an answer (the server is there); a 5xx from a proxy means it is not.
    if (event.type === "htmx:responseError" && xhr && xhr.status < 500) return;
    set(true);
  }
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, lost);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) set(false);
  });
  window.addEventListener("offline", function () { set(true); });
})();
