// The participant's 10-point form: − and + buttons, a live counter, and a submit button
// that is only enabled at exactly 10. Without JavaScript the form still posts and the
// server gives the same verdict.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The words come from the template (data-msg-*), so they follow the page's language.
  function counterText(form, total, target) {
    var msg = form.dataset;
    var left = target - total;
    if (left === 0) return msg.msgDone;
    if (left === 1) return msg.msgLeftOne;
    if (left > 0) return msg.msgLeft.replace("{n}", left);
    if (left === -1) return msg.msgOverOne;
    return msg.msgOver.replace("{n}", -left);
  }

  function update(form) {
    var target = parseInt(form.dataset.total || "10", 10);
    var total = 0;
    var valid = true;
    form.querySelectorAll(".points-input").forEach(function (input) {
      var text = input.value.trim();
      if (text === "") return;
      var value = Number(text);
      if (!Number.isInteger(value) || value < 0 || value > 10) valid = false;
      else total += value;
    });
    var counter = form.querySelector("[data-counter]");
    if (counter) {
      counter.textContent = valid ? counterText(form, total, target) : form.dataset.msgInvalid;
      counter.classList.toggle("is-done", valid && total === target);
      counter.classList.toggle("is-over", valid && total > target);
    }
    var submit = form.querySelector(".submit-points");
    if (submit) submit.disabled = !(valid && total === target);
  }

  function init(root) {
    root.querySelectorAll(".allocation-form").forEach(function (form) {
      if (form.dataset.ready) return;
      form.dataset.ready = "1";
      form.addEventListener("input", function () { update(form); });
      form.addEventListener("click", function (event) {
        var button = event.target.closest(".step");
        if (!button) return;
        var input = button.parentElement.querySelector(".points-input");
        var value = parseInt(input.value || "0", 10) || 0;
        input.value = Math.max(0, Math.min(10, value + parseInt(button.dataset.step, 10)));
        update(form);
      });
      update(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
