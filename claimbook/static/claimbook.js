// claimbook: Escape dismisses an open tooltip without moving focus or the pointer
// (WCAG 1.4.13); it shows again on the next hover or focus.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".cb-traced:hover, .cb-traced:focus-within").forEach(function (el) {
      el.classList.add("cb-dismissed");
    });
  });
  function reset(event) {
    var traced = event.target.closest && event.target.closest(".cb-traced");
    // only when leaving the number and its tooltip altogether
    if (traced && !(event.relatedTarget && traced.contains(event.relatedTarget))) {
      traced.classList.remove("cb-dismissed");
    }
  }
  document.addEventListener("mouseout", reset);
  document.addEventListener("focusout", reset);
})();
