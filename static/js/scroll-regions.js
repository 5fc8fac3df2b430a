// A table that scrolls sideways in its own box (on a phone, static/css) is a region the keyboard
// must be able to reach to scroll it (WCAG 2.1.1; axe: scrollable-region-focusable). Only the
// boxes that really scroll at the current width get a tab stop, and lose it when they no longer
// do, so a wide screen has no extra stops.
(function () {
  "use strict";
  var SELECTOR = "main table, main .table-scroll";

  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.dataset.scrollRegion = "";
      } else if (!scrolls && "scrollRegion" in el.dataset) {
        el.removeAttribute("tabindex");
        delete el.dataset.scrollRegion;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", mark);
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(mark, 100);
  });
})();
