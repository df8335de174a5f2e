// Citation markers open on click or Enter/Space and close on a click elsewhere or Escape.
// The page works without this file: markers then open on hover and keyboard focus.
"use strict";
(function () {
  function closeAll(except) {
    document.querySelectorAll(".cite.open").forEach(function (c) {
      if (c !== except) { c.classList.remove("open"); c.setAttribute("aria-expanded", "false"); }
    });
  }
  function toggle(cite) {
    var open = !cite.classList.contains("open");
    closeAll(cite);
    cite.classList.toggle("open", open);
    cite.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (ev) {
    var target = ev.target instanceof Element ? ev.target : null;
    if (target && target.closest(".pop")) { return; }   // links and text inside stay usable
    var cite = target ? target.closest(".cite") : null;
    if (cite) { toggle(cite); } else { closeAll(null); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      closeAll(null);
      var focused = document.activeElement;
      if (focused instanceof HTMLElement && focused.closest(".cite")) { focused.blur(); }
      return;
    }
    var cite = ev.target instanceof Element ? ev.target.closest(".cite") : null;
    if (cite && !ev.target.closest(".pop") && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      toggle(cite);
    }
  });
})();
