/* The positions timeline of /ask: one marker per (speaker, date, stance), drawn with the locally served plotly.js
   from the page's JSON data block (never executed). The table beside the chart has the same positions. */
(function () {
  "use strict";
  var dataEl = document.getElementById("pl-positions");
  var div = document.getElementById("chart-positions");
  if (!dataEl || !div || !window.Plotly) { return; }
  var chart;
  try { chart = JSON.parse(dataEl.textContent); } catch (e) { return; }
  function esc(value) {  // plotly reads a few HTML-like tags in labels: show names literally
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  var colours = { "for": "#1b7837", "against": "#b2182b", "discussing": "#6b6b6b" };
  var traces = ["for", "against", "discussing"].map(function (stance) {
    var points = chart.points.filter(function (p) { return p.stance === stance; });
    return { type: "scatter", mode: "markers", name: stance, marker: { size: 12, color: colours[stance] },
             x: points.map(function (p) { return p.published; }), y: points.map(function (p) { return esc(p.actor); }),
             text: points.map(function (p) { return esc(p.text); }), hovertemplate: "%{y}, %{x}: %{text}<extra>" + stance + "</extra>" };
  });
  window.Plotly.newPlot(div, traces, {
    margin: { l: 160, r: 10, t: 10, b: 40 }, xaxis: { type: "date" }, yaxis: { type: "category", automargin: true },
    legend: { orientation: "h", y: -0.2 }, font: { family: "system-ui, sans-serif", size: 12 }
  }, { displaylogo: false, responsive: true });
  div.setAttribute("data-drawn", "true");
})();
