// The wall on the projector shows what fits, whole. A projector cannot scroll and the wall's
// columns hide what overflows, so a card that would be cut off is not shown at all; the cards
// come pinned first, then by stippen (sessions.wall.wall_prompts), so what is left out is the
// end of the list, and one line says how many more there are. Runs before the swapped-in wall
// is painted (htmx:afterSwap), so nothing shows cut off even for a moment.
(function () {
  "use strict";

  function fits(el, limit) {
    return el.getBoundingClientRect().bottom <= limit + 1;
  }

  function fitList(list) {
    var box = list.closest(".wall-columns") || list;
    var limit = box.getBoundingClientRect().bottom;
    var notes = Array.prototype.slice.call(list.querySelectorAll(":scope > .wall-note"));
    var old = list.querySelector(":scope > .wall-more");
    if (old) old.remove();
    notes.forEach(function (note) { note.hidden = false; });
    var shown = notes.length;
    for (var i = 0; i < notes.length; i++) {
      if (!fits(notes[i], limit)) { shown = i; break; }
    }
    for (var j = shown; j < notes.length; j++) notes[j].hidden = true;
    if (shown === notes.length) return;
    var more = document.createElement("li");
    more.className = "wall-more";
    list.appendChild(more);
    // The line itself needs room: give up one more card until it fits.
    for (;;) {
      var left = notes.length - shown;
      more.textContent = (left === 1 ? list.dataset.moreOne : list.dataset.moreMany || "")
        .replace("{n}", left);
      if (fits(more, limit) || shown === 0) break;
      shown -= 1;
      notes[shown].hidden = true;
    }
  }

  function fit(when) {
    var region = document.getElementById("projector-live");
    if (!region) return;
    region.querySelectorAll(".wall-notes").forEach(fitList);
    // Said on the region for tests: "fonts" once fitted with the page's own fonts in place.
    region.dataset.fitted = typeof when === "string" ? when : "1";
  }

  document.addEventListener("htmx:afterSwap", fit);
  window.addEventListener("resize", fit);
  fit();
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(function () { fit("fonts"); });
  } else {
    fit("fonts");
  }
})();
