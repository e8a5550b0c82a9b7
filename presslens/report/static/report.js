/* presslens annotated view: layer switches and the hover/focus tooltip. No inline handlers; every
   string reaches the page through textContent, never innerHTML. */
(function () {
  "use strict";
  var body = document.body;
  var tip = document.getElementById("pl-tip");
  var dataEl = document.getElementById("pl-tips");
  var tips = {};
  try { tips = dataEl ? JSON.parse(dataEl.textContent) : {}; } catch (e) { tips = {}; }

  function isHidden(layer) { return body.classList.contains("hide-" + layer); }

  function setTabStops(layer, on) {
    var spans = document.querySelectorAll('.ann[data-layer="' + layer + '"][id]');
    for (var i = 0; i < spans.length; i++) { spans[i].tabIndex = on ? 0 : -1; }
  }

  var boxes = document.querySelectorAll(".pl-toggles input[data-layer]");
  for (var i = 0; i < boxes.length; i++) {
    if (!boxes[i].checked) {  // a layer off by default (or unchecked before a reload) starts hidden
      body.classList.add("hide-" + boxes[i].getAttribute("data-layer"));
      setTabStops(boxes[i].getAttribute("data-layer"), false);
    }
    boxes[i].addEventListener("change", function (ev) {
      var layer = ev.target.getAttribute("data-layer");
      var on = ev.target.checked;
      body.classList.toggle("hide-" + layer, !on);
      setTabStops(layer, on);
      hide();
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function annotationsAt(target) {
    var found = [];
    for (var node = target; node && node !== document.body; node = node.parentElement) {
      if (node.classList && node.classList.contains("ann")) {
        var info = tips[node.getAttribute("data-a")];
        if (info && !isHidden(info.key)) { found.push(info); }
      }
    }
    return found;
  }

  function show(target) {
    if (!tip) { return; }
    var items = annotationsAt(target);
    if (!items.length) { hide(); return; }
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    items.forEach(function (info) {
      var box = el("div", "tip-item");
      box.appendChild(el("div", "tip-layer", info.layer));
      box.appendChild(el("div", "tip-label", info.label));
      (info.details || []).forEach(function (d) { box.appendChild(el("div", "tip-detail", d)); });
      if (info.confidence !== null && info.confidence !== undefined) {
        box.appendChild(el("div", "tip-conf", "confidence " + info.confidence));
      }
      if (info.by) { box.appendChild(el("div", "tip-ev", "by " + info.by + (info.why ? ": " + info.why : ""))); }
      tip.appendChild(box);
    });
    tip.hidden = false;
    var r = target.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = left + "px";
    tip.style.top = (r.bottom + window.scrollY + 6) + "px";
    target.setAttribute("aria-describedby", "pl-tip");
  }

  function hide() {
    if (tip) { tip.hidden = true; }
    var described = document.querySelectorAll('[aria-describedby="pl-tip"]');
    for (var i = 0; i < described.length; i++) { described[i].removeAttribute("aria-describedby"); }
  }

  // A tooltip opened by the keyboard stays until focus moves; one opened by the mouse until it leaves.
  var shownBy = null;
  document.addEventListener("mouseover", function (ev) {
    var target = ev.target.closest ? ev.target.closest(".ann") : null;
    if (target) { show(target); shownBy = "mouse"; } else if (shownBy === "mouse") { hide(); }
  });
  document.addEventListener("focusin", function (ev) {
    if (ev.target.classList && ev.target.classList.contains("ann")) { show(ev.target); shownBy = "focus"; }
  });
  document.addEventListener("focusout", function () { if (shownBy === "focus") { hide(); } });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });

  // Side-panel links jump to their span in the text and focus it, which shows its tooltip.
  function focusSpan(id) {
    var target = id ? document.getElementById(id) : null;
    if (!target || !target.classList.contains("ann")) { return false; }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest('a[href^="#"]') : null;
    if (!link) { return; }
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (focusSpan(id)) {
      ev.preventDefault();
      if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#" + id); }
    }
  });
  if (window.location.hash) { focusSpan(decodeURIComponent(window.location.hash.slice(1))); }
})();
