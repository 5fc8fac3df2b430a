// Draws every chart on the page with plotly.js. The figure (data and layout) comes from the
// server in a <script type="application/json"> next to the chart, built by the same Python
// function that draws the PDF's charts. Redraws after each htmx swap.
(function () {
  "use strict";
  var config = { displayModeBar: false, responsive: true, staticPlot: false };

  // On the projector the chart's words follow the page's type scale (its CSS font size), so
  // axis labels and legend stay legible at the back of the room on any screen size.
  function projectorFonts(el, layout) {
    if (!el.closest(".projector")) return layout;
    var base = parseFloat(getComputedStyle(el).fontSize);
    var size = function (factor) { return { size: Math.round(base * factor) }; };
    layout.font = Object.assign({}, layout.font, size(1));
    if (layout.polar) {
      layout.polar.angularaxis = Object.assign({}, layout.polar.angularaxis, { tickfont: size(1) });
      // The ring numbers are a scale, not the message: grey, every other one on 0-10, and
      // beside the spokes (scoring/charts.py), so they stay apart at 1280x720 too.
      // Only the middle and the outer ring are numbered: numbers near the centre sat on the
      // room's means. Decimals as the page writes them ("2,5" in Dutch, "2.5" in English).
      var top = (layout.polar.radialaxis.range || [0, 10])[1];
      var comma = (document.documentElement.lang || "nl").slice(0, 2) === "nl";
      var half = String(top / 2);
      layout.polar.radialaxis = Object.assign({}, layout.polar.radialaxis, {
        tickfont: Object.assign(size(1), { color: "#5b6475" }),
        tickvals: [top / 2, top],
        ticktext: [comma ? half.replace(".", ",") : half, String(top)],
      });
    }
    if (layout.legend) layout.legend.font = size(1);
    if (layout.margin) {
      layout.margin = layout.polar
        ? { t: base * 1.6, b: base, l: base * 5, r: base * 5 }
        : { t: base * 0.3, b: base * 0.3, l: base, r: base * 0.5 };
    }
    // The bars' values are in the means table and the verdicts beside them: no tick numbers.
    if (layout.xaxis && !layout.polar) layout.xaxis.showticklabels = false;
    ["xaxis", "yaxis"].forEach(function (axis) {
      if (!layout[axis]) return;
      layout[axis].tickfont = size(1);
      layout[axis].automargin = true;
      if (layout[axis].title) {
        layout[axis].title.font = size(1);
        // Long axis titles ("← reflectoren hoger · vertellers hoger →") on two lines.
        layout[axis].title.text = String(layout[axis].title.text || "").replace(" · ", "<br>");
      }
    });
    return layout;
  }

  // On the projector the lines and markers grow with the type too: 3 px lines read as a thin
  // scribble from the back of a room. Faint lines (single allocations, spread) stay thinner.
  function projectorTraces(el, data) {
    if (!el.closest(".projector")) return data;
    var base = parseFloat(getComputedStyle(el).fontSize);
    return data.map(function (trace) {
      if (trace.type !== "scatterpolar" || !trace.line) return trace;
      var faint = trace.meta && (trace.meta.key === "individueel" || trace.meta.key === "spreiding");
      var grown = { line: Object.assign({}, trace.line, { width: base * (faint ? 0.1 : 0.22) }) };
      if (trace.marker) grown.marker = Object.assign({}, trace.marker, { size: base * 0.55 });
      return Object.assign({}, trace, grown);
    });
  }

  function draw(root) {
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.figure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      Plotly.react(el, projectorTraces(el, figure.data), projectorFonts(el, figure.layout), config);
    });
  }

  // A live update replaces the whole fragment. Its new chart element is empty until plotly
  // has drawn it, so the chart would blink out on every update. Instead the old, drawn chart
  // element moves into the new fragment (same figure id) and plotly redraws it in place.
  var drawn = {};
  document.addEventListener("htmx:beforeSwap", function (event) {
    drawn = {};
    event.detail.target.querySelectorAll("[data-figure]").forEach(function (el) {
      if (el.classList.contains("js-plotly-plot")) drawn[el.dataset.figure] = el;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    Object.keys(drawn).forEach(function (id) {
      var fresh = document.querySelector('[data-figure="' + id + '"]');
      var old = drawn[id];
      if (!fresh || fresh === old) return;
      // The new element's name and description are the current ones (plotly owns `class`).
      ["role", "aria-label", "aria-describedby"].forEach(function (name) {
        if (fresh.hasAttribute(name)) old.setAttribute(name, fresh.getAttribute(name));
      });
      fresh.replaceWith(old);
    });
    drawn = {};
    draw(document);
  });

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
})();
