// Draws the page's plotly charts. Each chart is an empty element and, beside it, its figure as
// JSON in <script type="application/json" data-plotly-for="ID"> (see bettercare.charts): data,
// never code, so the Content-Security-Policy needs no inline script. Loaded with `defer`
// after plotly.js.
(function () {
  function draw() {
    document.querySelectorAll("script[type='application/json'][data-plotly-for]").forEach(
      function (data) {
        var target = document.getElementById(data.dataset.plotlyFor);
        if (!target || target.dataset.plotlyDrawn) return;
        var figure = JSON.parse(data.textContent);
        target.dataset.plotlyDrawn = "true";
        window.Plotly.newPlot(target, figure.data, figure.layout || {}, figure.config || {});
      }
    );
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
