// The wall of the slotdialoog: its region polls like every live page (204 while nothing
// changed), but never while someone is writing or choosing in it: a redraw would throw away
// what they typed. The next poll after they send or leave the field picks up the changes.
(function () {
  "use strict";

  function busy(region) {
    var active = document.activeElement;
    if (active && region.contains(active) && /^(TEXTAREA|SELECT|INPUT)$/.test(active.tagName)) {
      return true;
    }
    return Array.prototype.some.call(region.querySelectorAll("textarea"), function (field) {
      return field.value !== field.defaultValue;
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var region = event.detail.elt;
    if (!region || !region.matches || !region.matches("[data-wall-poll]")) return;
    if (event.detail.requestConfig && event.detail.requestConfig.verb !== "get") return;
    if (busy(region)) event.preventDefault();
  });

  // A character counter under each text box, from the box's own maxlength.
  function count(field) {
    var note = field.form && field.form.querySelector("[data-wall-count]");
    if (!note) return;
    var left = parseInt(field.getAttribute("maxlength"), 10) - field.value.length;
    note.textContent = note.dataset.template.replace("{n}", left);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(".wall-form textarea")) count(event.target);
  });
})();
