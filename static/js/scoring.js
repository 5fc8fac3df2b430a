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
      var text = valid ? counterText(form, total, target) : form.dataset.msgInvalid;
      // The counter is a polite live region: write only real changes, so a screen reader
      // announces "Nog 3 punten te verdelen" once, not on every keystroke that keeps it.
      if (counter.textContent !== text) counter.textContent = text;
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

  // A refused submit (round closed, wrong points) swaps the card in with a message; move
  // focus to it so a screen reader reads why, and keyboard users continue from there.
  var submitted = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form.classList && form.classList.contains("allocation-form")) {
      submitted = form.getAttribute("hx-target").slice(1);
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!submitted) return;
    var card = document.getElementById(submitted);
    submitted = null;
    var message = card && card.querySelector(".form-error, .field-error");
    if (!message) return;
    message.setAttribute("tabindex", "-1");
    message.focus();
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
