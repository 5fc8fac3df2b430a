// Draws every spider chart on the page with plotly.js. The figure (data and layout) comes
// from the server in a <script type="application/json"> next to the chart, built by the
// same Python function that draws the PDF's charts. Redraws after each htmx swap.
(function () {
  "use strict";
  var config = { displayModeBar: false, responsive: true, staticPlot: false };

  function draw(root) {
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.figure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      Plotly.react(el, figure.data, figure.layout, config);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
