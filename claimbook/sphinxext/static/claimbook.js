// claimbook: keep a tooltip inside the window, and let Escape dismiss it without moving focus or
// the pointer (WCAG 1.4.13); it shows again on the next hover or focus. Without this script the
// tooltips still work (CSS :hover and :focus-within); they may only overflow the right edge.
(function () {
  "use strict";
  var MARGIN = 8;

  function place(traced) {
    var tip = traced.querySelector(".cb-tip");
    if (!tip) return;
    tip.style.left = "0px";
    tip.style.top = "";
    tip.style.bottom = "";
    var rect = tip.getBoundingClientRect();
    var overflow = rect.right - (document.documentElement.clientWidth - MARGIN);
    if (overflow > 0) {
      tip.style.left = -Math.min(overflow, Math.max(rect.left - MARGIN, 0)) + "px";
    }
    // open upwards when there is no room below but room above
    if (rect.bottom > window.innerHeight - MARGIN && rect.height + MARGIN < traced.getBoundingClientRect().top) {
      tip.style.top = "auto";
      tip.style.bottom = "100%";
    }
  }

  function enter(event) {
    var traced = event.target.closest && event.target.closest(".cb-traced");
    if (traced) place(traced);
  }

  function leave(event) {
    var traced = event.target.closest && event.target.closest(".cb-traced");
    // only when leaving the number and its tooltip altogether
    if (traced && !(event.relatedTarget && traced.contains(event.relatedTarget))) {
      traced.classList.remove("cb-dismissed");
    }
  }

  document.addEventListener("mouseover", enter);
  document.addEventListener("focusin", enter);
  document.addEventListener("mouseout", leave);
  document.addEventListener("focusout", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".cb-traced:hover, .cb-traced:focus-within").forEach(function (el) {
      el.classList.add("cb-dismissed");
    });
  });
})();

// claimbook: the download menu's items and the {downloads} list are files to keep, not pages to
// open (claimbook/sphinxext/downloads.py gives them the classes cb-download and btn-cb-download-*).
document.querySelectorAll("a.cb-download, a[class*='btn-cb-download-']").forEach(function (link) {
  link.setAttribute("download", "");
  link.removeAttribute("target");
});
