/* Draw the page's charts with the locally served plotly.js. The numbers come from a JSON data block
   (never executed); labels reach plotly as data, and each chart also has a table fallback. */
(function () {
  "use strict";
  var dataEl = document.getElementById("pl-charts");
  if (!dataEl || !window.Plotly) { return; }
  var charts = [];
  try { charts = JSON.parse(dataEl.textContent); } catch (e) { return; }
  // plotly reads a few HTML-like tags in labels; entity-escape them so names show literally, as text.
  function esc(value) {
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  charts.forEach(function (chart) {
    chart.categories = (chart.categories || []).map(esc);
    chart.series.forEach(function (s) { s.name = esc(s.name); });
    var div = document.getElementById("chart-" + chart.id);
    if (!div || !chart.categories || !chart.categories.length) { return; }
    var horizontal = chart.kind === "hbar";
    var traces = chart.series.map(function (s) {
      return horizontal
        ? { type: "bar", orientation: "h", name: s.name, y: chart.categories.slice().reverse(), x: s.values.slice().reverse(),
            hovertemplate: "%{y}: %{x}<extra></extra>" }
        : { type: "bar", name: s.name, x: chart.categories, y: s.values };
    });
    var most = 0;
    chart.series.forEach(function (s) { s.values.forEach(function (v) { most = Math.max(most, v); }); });
    var counts = { automargin: true, rangemode: "tozero", dtick: most <= 10 ? 1 : null };  // whole numbers only
    var layout = {
      barmode: chart.kind === "stacked" ? "stack" : "group",
      margin: { l: horizontal ? 160 : 50, r: 10, t: 10, b: 60 },
      showlegend: chart.series.length > 1,
      legend: { orientation: "h", y: -0.25 },
      font: { family: "system-ui, sans-serif", size: 12 },
      xaxis: horizontal ? counts : { automargin: true, type: "category" },
      yaxis: horizontal ? { automargin: true } : counts
    };
    window.Plotly.newPlot(div, traces, layout, { displaylogo: false, responsive: true });
  });
})();
