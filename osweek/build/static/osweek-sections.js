/* osweek-sections.js - tab stops for the tables of long generated pages, measured only near the screen.
 *
 * Loaded (deferred, in <head>) only on pages with <div class="osweek-section"> (the data dictionary, the
 * evidence index; see osweek/build/sphinxext.py), so it runs before the theme's own deferred script. The
 * stylesheet lays out only the sections near the screen (content-visibility: auto). The theme, at load,
 * reads the size of every table's scroll box to decide whether it needs a tab stop; inside a section
 * that reading makes the browser lay out every section at once, one long task on a phone. So this
 * script gives those boxes a class of their own (same overflow), focusable until measured, and measures
 * each one when its section comes near the screen (already laid out then) and when the window resizes.
 */
(function () {
  "use strict";

  var THEME_BOX = "pst-scrollable-table-container";  // what the theme measures at load
  var BOX = "osweek-scroll-box";  // osweek-book.css: overflow-x: auto, like the theme's

  function update(box) {
    box.tabIndex = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight ? 0 : -1;
  }

  var boxes = Array.prototype.slice.call(document.querySelectorAll(".osweek-section ." + THEME_BOX));
  if (!boxes.length) return;
  boxes.forEach(function (box) {
    box.classList.replace(THEME_BOX, BOX);
    box.tabIndex = 0;  // reachable by keyboard until measured
  });
  if (!("IntersectionObserver" in window)) return;
  var near = new Set();
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { near.add(entry.target); update(entry.target); } else { near.delete(entry.target); }
    });
  }, { rootMargin: "200px 0px" });
  boxes.forEach(function (box) { observer.observe(box); });
  var timer = null;
  window.addEventListener("resize", function () {  // re-measure the boxes near the screen; the others again when they come near
    clearTimeout(timer);
    timer = setTimeout(function () {
      boxes.forEach(function (box) { if (near.has(box)) { update(box); } else { box.tabIndex = 0; } });
    }, 300);
  });
})();
