// Typing is never destroyed: every textarea of a form that posts keeps a draft in this tab's
// sessionStorage while it is typed in. A page that is left before saving (a login that ended
// and a poll that moved the page to the login form, a refused CSRF token after logging in
// again, a click elsewhere) gets the text back when it is opened again in this tab, with a
// notice and a way to throw it away. A draft equal to what the server shows is dropped, and so
// is one whose form was sent and answered with success (a form that empties after adding).
(function () {
  "use strict";
  var PREFIX = "draft:";
  var notice = document.getElementById("draft-notice");

  function store() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function normal(text) {
    return String(text).replace(/\r\n?/g, "\n").trim();
  }
  // A participant's pages carry their personal link's token (/p/<token>/...); a released name
  // gets a new one on joining again, and the draft has to find the same box on the new page.
  function path(pathname) {
    return pathname.replace(/^\/p\/[^/]+\//, "/p/~/");
  }
  function key(form, field) {
    var action = new URL(form.getAttribute("action") || location.href, location.href);
    return PREFIX + path(location.pathname) + "|" + path(action.pathname) + "|" + field.name;
  }
  var SENT = "draft-sent:";
  function pageSaysSaved() {
    return !!document.querySelector(".message-success") &&
      !document.querySelector(".errorlist, .form-error, .message-error, [aria-invalid=true]");
  }
  function forget(storage, form) {
    form.querySelectorAll("textarea[name]").forEach(function (field) {
      storage.removeItem(key(form, field));
      storage.removeItem(SENT + key(form, field));
    });
  }
  function warn(field, storage, k) {
    if (!notice || field.dataset.draftRestored) return;
    field.dataset.draftRestored = "1";
    var box = notice.content.firstElementChild.cloneNode(true);
    box.querySelector("[data-draft-discard]").addEventListener("click", function () {
      field.value = field.defaultValue;
      storage.removeItem(k);
      box.remove();
      field.focus();
    });
    field.insertAdjacentElement("beforebegin", box);
  }
  function watch(root) {
    var storage = store();
    if (!storage) return;
    root.querySelectorAll("form textarea[name]").forEach(function (field) {
      var form = field.form;
      if (!form || (form.method || "").toLowerCase() !== "post" || field.dataset.draftWatched) return;
      field.dataset.draftWatched = "1";
      var k = key(form, field);
      var saved = storage.getItem(k);
      if (saved !== null && storage.getItem(SENT + k) && pageSaysSaved()) {
        storage.removeItem(k);
        saved = null;
      }
      storage.removeItem(SENT + k);
      if (saved !== null) {
        if (normal(saved) === normal(field.value)) storage.removeItem(k);
        else { field.value = saved; warn(field, storage, k); }
      }
      field.addEventListener("input", function () {
        if (normal(field.value) === normal(field.defaultValue)) storage.removeItem(k);
        else storage.setItem(k, field.value);
      });
    });
  }
  watch(document);
  document.addEventListener("htmx:afterSettle", function (event) { watch(event.target); });
  // Sent the ordinary way: the next page of this tab decides (saved, or shown with errors).
  document.addEventListener("submit", function (event) {
    var storage = store();
    var form = event.target;
    if (storage && form.hasAttribute("data-drafts-forget")) {
      // "Niet jij?": the next person on this device does not get this one's drafts.
      for (var i = storage.length - 1; i >= 0; i--) {
        var k = storage.key(i);
        if (k && (k.indexOf(PREFIX + "/p/~/") === 0 || k.indexOf(SENT + PREFIX + "/p/~/") === 0)) {
          storage.removeItem(k);
        }
      }
      return;
    }
    if (!storage || event.defaultPrevented || form.hasAttribute("hx-post")) return;
    form.querySelectorAll("textarea[name]").forEach(function (field) {
      if (storage.getItem(key(form, field)) !== null) storage.setItem(SENT + key(form, field), "1");
    });
  });
  // Sent by htmx: a successful answer means the server has it, unless it says it kept
  // nothing (a released name's link answers so: sessions/participant_views.py, DRAFT_KEEP).
  function answered(event) {
    var storage = store();
    var detail = event.detail;
    var elt = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    var form = elt && elt.closest && elt.closest("form");
    var xhr = detail.xhr;
    if (!storage || !form || !xhr || xhr.getResponseHeader("X-Draft-Keep")) return;
    if (xhr.status >= 200 && xhr.status < 300) forget(storage, form);
  }
  // Before the swap too: a form inside the region it swaps (the wall's) is gone from the page
  // by htmx:afterRequest, whose event then never reaches the document, and the draft of a
  // text already on the wall came back in the new, empty box.
  document.addEventListener("htmx:beforeSwap", answered);
  document.addEventListener("htmx:afterRequest", answered);
})();
