// The wall on the projector shows every card, a page at a time. A projector cannot scroll and
// the wall's columns hide what overflows, so a card that would be cut off is not shown; when a
// prompt has more cards than fit, its column pages through them, one page every PAGE_SECONDS,
// and one line says which page this is ("Pagina 2 van 3"), so the newest cards reach the room
// too. Pinned ("Vastgezet") cards stay on every page. The pages are measured before the
// swapped-in wall is painted (htmx:afterSwap), so nothing shows cut off even for a moment;
// the page each column was on survives the swap.
//
// For tests (tests/e2e/test_wall_projector_fit.py): each column's list says data-page and
// data-pages, and window.wallPager.next() turns every column a page, .stop() stops the clock.
(function () {
  "use strict";

  var PAGE_SECONDS = 12;
  var shownPage = {}; // the column's key -> index of the page it shows
  var timer = null;
  var stopped = false;

  function fits(el, limit) {
    return el.getBoundingClientRect().bottom <= limit + 1;
  }

  function key(list) {
    var column = list.closest("[aria-labelledby]");
    return column ? column.getAttribute("aria-labelledby") : "";
  }

  // The first of notes[from..] that does not fit (all shown, so one layout), or their number.
  function firstOut(notes, from, limit) {
    for (var i = from; i < notes.length; i++) {
      if (!fits(notes[i], limit)) return i;
    }
    return notes.length;
  }

  function fill(template, values) {
    return Object.keys(values).reduce(function (text, name) {
      return text.replace("{" + name + "}", values[name]);
    }, template || "");
  }

  function showPage(list) {
    var state = list._wall;
    if (!state) return;
    var pages = state.pages;
    var index = pages.length ? (shownPage[key(list)] || 0) % pages.length : 0;
    shownPage[key(list)] = index;
    var range = pages.length ? pages[index] : [0, 0];
    state.others.forEach(function (note, i) {
      note.hidden = i < range[0] || i >= range[1];
    });
    if (!state.more) return;
    if (pages.length > 1) {
      state.more.textContent = fill(list.dataset.pageLine, {
        page: index + 1,
        pages: pages.length,
        n: state.total,
      });
    } else {
      var left = state.others.length - range[1];
      state.more.hidden = left === 0;
      state.more.textContent = fill(
        left === 1 ? list.dataset.moreOne : list.dataset.moreMany,
        { n: left }
      );
    }
    list.dataset.page = String(index + 1);
  }

  // The pages of `notes` (all hidden, whatever is shown above them stays): [first, end)
  // index pairs, each as many as fit above the line `more`; none when not even one fits.
  function pagesOf(notes, more, limit) {
    var pages = [];
    var start = 0;
    while (start < notes.length) {
      for (var i = start; i < notes.length; i++) notes[i].hidden = false;
      var end = firstOut(notes, start, limit);
      for (var j = end; j < notes.length; j++) notes[j].hidden = true;
      // The line itself needs room: give up one more card until it fits.
      while (end > start && !fits(more, limit)) {
        end -= 1;
        notes[end].hidden = true;
      }
      if (end === start) {
        if (start === 0) break;
        end = start + 1; // a card that fits on no page still gets one of its own
      }
      pages.push([start, end]);
      for (var k = start; k < end; k++) notes[k].hidden = true;
      start = end;
    }
    return pages;
  }

  function paginate(list) {
    var box = list.closest(".wall-columns") || list;
    var limit = box.getBoundingClientRect().bottom;
    var notes = Array.prototype.slice.call(list.querySelectorAll(":scope > .wall-note"));
    var old = list.querySelector(":scope > .wall-more");
    if (old) old.remove();
    notes.forEach(function (note) { note.hidden = false; });
    var state = { pages: [], others: notes, total: notes.length, more: null };
    list._wall = state;
    list.dataset.page = "1";
    list.dataset.pages = "1";
    if (firstOut(notes, 0, limit) === notes.length) {
      state.pages = [[0, notes.length]];
      return;
    }
    var more = document.createElement("li");
    more.className = "wall-more";
    // Measured with the widest the line will say: the pages never need it wider.
    more.textContent = fill(list.dataset.pageLine, { page: 88, pages: 88, n: 888 });
    list.appendChild(more);
    state.more = more;
    var pinned = notes.filter(function (note) { return note.classList.contains("pinned"); });
    var others = notes.filter(function (note) { return !note.classList.contains("pinned"); });
    others.forEach(function (note) { note.hidden = true; });
    if (pinned.length && (firstOut(pinned, 0, limit) < pinned.length || !fits(more, limit))) {
      // More pinned cards than a screen holds: they take their turn like the others.
      others = notes;
      pinned.forEach(function (note) { note.hidden = true; });
    }
    state.others = others;
    state.pages = pagesOf(others, more, limit);
    if (!state.pages.length && others !== notes) {
      // Not one card fits beside the pinned ones: they all take their turn, pinned first.
      pinned.forEach(function (note) { note.hidden = true; });
      state.others = notes;
      state.pages = pagesOf(notes, more, limit);
    }
    list.dataset.pages = String(Math.max(state.pages.length, 1));
    showPage(list);
  }

  function lists() {
    var region = document.getElementById("projector-live");
    return region ? Array.prototype.slice.call(region.querySelectorAll(".wall-notes")) : [];
  }

  function next() {
    lists().forEach(function (list) {
      if (list._wall && list._wall.pages.length > 1) {
        shownPage[key(list)] = (shownPage[key(list)] || 0) + 1;
        showPage(list);
      }
    });
  }

  function clock() {
    var paging = lists().some(function (list) { return list._wall && list._wall.pages.length > 1; });
    if (paging && !timer && !stopped) {
      timer = window.setInterval(next, PAGE_SECONDS * 1000);
    } else if (!paging && timer) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  function fit(when) {
    var region = document.getElementById("projector-live");
    if (!region) return;
    lists().forEach(paginate);
    clock();
    // Said on the region for tests: "fonts" once fitted with the page's own fonts in place.
    region.dataset.fitted = typeof when === "string" ? when : "1";
  }

  window.wallPager = {
    next: next,
    stop: function () {
      stopped = true;
      if (timer) window.clearInterval(timer);
      timer = null;
    },
  };

  document.addEventListener("htmx:afterSwap", fit);
  window.addEventListener("resize", fit);
  fit();
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(function () { fit("fonts"); });
  } else {
    fit("fonts");
  }
})();
