// The participant's 10-point form: − and + buttons, a live counter, and a submit button
// that is only enabled at exactly 10. Without JavaScript the form still posts and the
// server gives the same verdict, in the same words (data-msg-* come from the server).
//
// The page redraws itself when a round opens or closes or the points change on another
// device. A redraw never throws away what someone is typing: a card with a form being
// filled in is kept as it is while its round stays open.
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

  // The verdict on one field, as the server would give it: "" when fine.
  function fieldError(input) {
    // "e", "-" or "1e" in a number field: the browser reports an empty value and badInput.
    if (input.validity && input.validity.badInput) return input.dataset.msgBad || "?";
    var text = input.value.trim();
    if (text === "") return "";
    if (!/^-?[0-9]+$/.test(text)) return input.dataset.msgBad || "?";
    var value = parseInt(text, 10);
    if (value < 0) return input.dataset.msgLow || "?";
    if (value > 10) return input.dataset.msgHigh || "?";
    return "";
  }

  function update(form) {
    var target = parseInt(form.dataset.total || "10", 10);
    var total = 0;
    var errors = [];
    form.querySelectorAll(".points-input").forEach(function (input) {
      var error = fieldError(input);
      var row = input.closest(".condition-row");
      var slot = row && row.querySelector("[data-field-error]");
      if (row) row.classList.toggle("has-error", !!error);
      if (error) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (slot && (error || slot.dataset.live)) {
        // Only messages this script wrote are cleared by it; the server's stay until typing.
        slot.textContent = error;
        slot.hidden = !error;
        slot.dataset.live = "1";
      }
      if (error) errors.push(error);
      else if (input.value.trim() !== "") total += parseInt(input.value, 10);
    });
    var valid = errors.length === 0;
    var counter = form.querySelector("[data-counter]");
    if (counter) {
      var text = valid ? counterText(form, total, target) : errors[0];
      // The counter is a polite live region: write only real changes, so a screen reader
      // announces "Nog 3 punten te verdelen" once, not on every keystroke that keeps it.
      if (counter.textContent !== text) counter.textContent = text;
      counter.classList.toggle("is-done", valid && total === target);
      counter.classList.toggle("is-over", valid && total > target);
      counter.classList.toggle("is-error", !valid);
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
        input.dataset.touched = "1";
        update(form);
      });
      update(form);
    });
  }

  // --- Live redraws of the participant's page ------------------------------------------

  function isBeingFilledIn(card) {
    var form = card.querySelector(".allocation-form");
    if (!form) return false;
    if (card.dataset.editing || card.contains(document.activeElement)) return true;
    return Array.prototype.some.call(form.querySelectorAll(".points-input"), function (input) {
      return input.value !== input.defaultValue || input.dataset.touched ||
        (input.validity && input.validity.badInput);
    });
  }

  var kept = [];
  var focus = null;

  // A card as it was being filled in: its HTML and the values typed into it. (The element
  // itself cannot be put back: htmx has cleaned up its handlers during the swap.)
  function snapshot(card) {
    var values = {};
    card.querySelectorAll(".points-input").forEach(function (input) {
      values[input.name] = { value: input.value, touched: input.dataset.touched };
    });
    var form = card.querySelector(".allocation-form");
    return {
      id: card.id, html: card.outerHTML, values: values,
      saved: form ? form.dataset.saved || "" : "",
    };
  }

  // Whether the points in a snapshot differ from those saved before it (data-saved, in the
  // conditions' order; none saved: from nothing typed). Only those are "niet verstuurd".
  function typedDiffers(saved) {
    var typed = Object.keys(saved.values).map(function (name) {
      return String(Number(saved.values[name].value.trim() || "0"));
    });
    var before = saved.saved ? saved.saved.split(",") : typed.map(function () { return "0"; });
    return typed.join(",") !== before.join(",");
  }

  function restore(saved, fresh) {
    var holder = document.createElement("div");
    holder.innerHTML = saved.html;
    var copy = holder.firstElementChild;
    copy.querySelectorAll("[data-ready]").forEach(function (el) { el.removeAttribute("data-ready"); });
    fresh.replaceWith(copy);
    copy.querySelectorAll(".points-input").forEach(function (input) {
      var was = saved.values[input.name];
      if (!was) return;
      input.value = was.value;
      if (was.touched) input.dataset.touched = was.touched;
    });
    if (window.htmx) window.htmx.process(copy);
    init(copy);
  }

  // The poll sends the signature of what this page shows; a submit's answer updates it.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id === "participant-live" && elt.dataset.signature !== undefined) {
      event.detail.parameters.sig = elt.dataset.signature;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "participant-live") return;
    kept = Array.prototype.filter
      .call(target.querySelectorAll(".session-card"), isBeingFilledIn)
      .map(snapshot);
    var active = document.activeElement;
    focus = active && target.contains(active) ? {
      id: active.id,
      start: active.selectionStart,
      end: active.selectionEnd,
    } : null;
  });

  // What someone had typed into a card that can no longer take it (the round closed, they
  // were taken out of its group, their name was released): a card of its own at the top of
  // the page with the typed points, kept through later redraws until they dismiss it.
  function unsentCard(saved, fresh) {
    var holder = document.createElement("div");
    holder.innerHTML = saved.html;
    var form = holder.querySelector(".allocation-form");
    if (!form) return null;
    var card = document.createElement("section");
    card.className = "card unsent-card";
    card.setAttribute("data-unsent-card", "");
    ["eyebrow", "h2"].forEach(function (part) {
      var el = holder.querySelector(part === "h2" ? "h2" : "." + part);
      if (el) {
        var copy = el.cloneNode(true);
        copy.removeAttribute("id");
        card.appendChild(copy);
      }
    });
    var note = document.createElement("p");
    note.className = "form-error";
    note.setAttribute("role", "alert");
    note.textContent = fresh ? form.dataset.msgUnsent : form.dataset.msgGone;
    card.appendChild(note);
    var intro = document.createElement("p");
    intro.textContent = form.dataset.msgTyped;
    card.appendChild(intro);
    var list = document.createElement("ul");
    list.className = "plain points-list";
    holder.querySelectorAll(".condition-row").forEach(function (row) {
      var input = row.querySelector(".points-input");
      var label = row.querySelector(".condition-label");
      var was = input && saved.values[input.name];
      var item = document.createElement("li");
      item.textContent = (label ? label.textContent : "") + ": ";
      var value = document.createElement("strong");
      value.textContent = (was && was.value.trim()) || "0";
      item.appendChild(value);
      list.appendChild(item);
    });
    card.appendChild(list);
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "button";
    dismiss.setAttribute("data-dismiss-unsent", "");
    dismiss.textContent = form.dataset.msgDismiss;
    card.appendChild(dismiss);
    return card;
  }

  var notices = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "participant-live") return;
    notices = Array.prototype.map.call(
      target.querySelectorAll("[data-unsent-card]"), function (n) { return n.outerHTML; });
  });

  function showNotice(card) {
    var live = document.getElementById("participant-live");
    if (live && card) live.insertBefore(card, live.firstChild);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss-unsent]");
    if (button) button.closest("[data-unsent-card]").remove();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.dataset && elt.dataset.signature && elt.classList.contains("session-card")) {
      var live = document.getElementById("participant-live");
      // The answer renews the rounds' part; the slotdialoog's part (after "|") stays.
      var old = live ? live.dataset.signature || "" : "";
      var wall = old.indexOf("|") === -1 ? "" : old.slice(old.indexOf("|"));
      if (live) live.dataset.signature = elt.dataset.signature + wall;
    }
    if (notices.length) {
      var again = notices;
      notices = [];
      var holder = document.createElement("div");
      holder.innerHTML = again.join("");
      Array.prototype.slice.call(holder.children).reverse().forEach(showNotice);
    }
    if (!kept.length) return;
    var cards = kept;
    kept = [];
    cards.forEach(function (saved) {
      var fresh = document.getElementById(saved.id);
      if (fresh && fresh.dataset.open) {
        // Still open: keep the form exactly as it was being filled in.
        restore(saved, fresh);
      } else if (!(fresh && fresh.querySelector("[data-unsent]")) && typedDiffers(saved)) {
        // Closed meanwhile, or gone from the page: what was typed stays in sight, marked
        // as not sent (unless the server's answer already says so, with the same points,
        // or it is what was saved anyway).
        showNotice(unsentCard(saved, fresh));
      }
    });
    if (focus && focus.id) {
      var again = document.getElementById(focus.id);
      if (again) {
        again.focus();
        try { again.setSelectionRange(focus.start, focus.end); } catch (e) { /* number input */ }
      }
    }
    focus = null;
  });

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
    var message = card && card.querySelector(".form-error, .field-error:not([hidden])");
    if (!message) return;
    message.setAttribute("tabindex", "-1");
    message.focus();
  });

  // --- A submit that did not reach the server ----------------------------------------
  // Offline, a server restarting, a proxy's 502: htmx swaps nothing, so the form keeps what
  // was typed. It says so, offers to send again, and sends again by itself when the
  // connection is back (the browser comes online, or a poll gets through). Sending twice is
  // harmless: the same points are stored once, and the form's version makes a second
  // device's change visible instead of overwritten (scoring.services.allocation_submit).
  var AUTO_RESENDS = 5;
  var resend = {};

  function isScoreForm(elt) {
    return elt && elt.classList && elt.classList.contains("allocation-form");
  }

  function send(form) {
    if (form.dataset.sending) return;
    if (form.requestSubmit) form.requestSubmit();
    else if (window.htmx) window.htmx.trigger(form, "submit");
  }

  function sendFailed(event) {
    var form = event.detail.elt;
    if (!isScoreForm(form)) return;
    var xhr = event.detail.xhr;
    if (event.type === "htmx:responseError" && xhr && xhr.status < 500) return;
    var slot = form.querySelector("[data-send-error]");
    if (slot) slot.hidden = false;
    var card = form.closest(".session-card");
    if (card && !(card.id in resend)) resend[card.id] = AUTO_RESENDS;
  }
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, sendFailed);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isScoreForm(event.detail.elt)) event.detail.elt.dataset.sending = "1";
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!isScoreForm(form)) return;
    delete form.dataset.sending;
    var card = form.closest(".session-card");
    if (event.detail.successful && card) delete resend[card.id];
  });

  function resendAll() {
    Object.keys(resend).forEach(function (id) {
      var card = document.getElementById(id);
      var form = card && card.querySelector(".allocation-form");
      if (!form || resend[id] <= 0) {
        delete resend[id];
        return;
      }
      resend[id] -= 1;
      send(form);
    });
  }
  window.addEventListener("online", resendAll);
  document.addEventListener("evaluatiespiegel:verbinding-terug", resendAll);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-resend]");
    if (!button) return;
    var form = button.closest(".allocation-form");
    if (form) send(form);
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
