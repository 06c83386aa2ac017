/* osweek-tables.js - a filter box and pages for the book's long tables.
 *
 * Loaded (deferred) only on pages with a table marked <div class="osweek-table-block osweek-filterable">;
 * see osweek/build/sphinxext.py. It fetches nothing: the rows are already in the page, so without
 * JavaScript, in print and in the PDF the whole table shows. With it, a labelled search box keeps the
 * rows whose text contains every word typed (any order, any case), and Previous / Next buttons page
 * through them, PAGE_SIZE rows at a time; a live status line says which rows show.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 25;
  var HIDDEN = "osweek-row-hidden";  // hidden on screen only (osweek-book.css): print and the PDF show every row

  function enhance(block, n) {
    var table = block.querySelector("table");
    if (!table || !table.tBodies.length) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var shown = rows, page = 0;

    var tools = document.createElement("div");
    tools.className = "osweek-table-tools";
    var id = "osweek-filter-" + n;
    tools.innerHTML =
      '<label for="' + id + '">Filter rows</label> <input type="search" id="' + id + '" autocomplete="off" spellcheck="false">' +
      ' <button type="button" data-step="-1">Previous</button> <button type="button" data-step="1">Next</button>' +
      ' <span class="osweek-table-status" role="status" aria-live="polite"></span>';
    block.insertBefore(tools, block.firstChild);
    var input = tools.querySelector("input"), status = tools.querySelector("span");
    var previous = tools.querySelector('[data-step="-1"]'), next = tools.querySelector('[data-step="1"]');

    function render() {
      var pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
      page = Math.min(Math.max(page, 0), pages - 1);
      var first = page * PAGE_SIZE, last = Math.min(first + PAGE_SIZE, shown.length);
      rows.forEach(function (row) { row.classList.add(HIDDEN); });
      shown.slice(first, last).forEach(function (row) { row.classList.remove(HIDDEN); });
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
      status.textContent = shown.length
        ? "Rows " + (first + 1) + "\u2013" + last + " of " + shown.length + (shown.length < rows.length ? " (filtered from " + rows.length + ")" : "")
        : "No row matches";
    }
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      shown = rows.filter(function (row, i) { return words.every(function (w) { return texts[i].indexOf(w) >= 0; }); });
      page = 0;
      render();
    });
    tools.addEventListener("click", function (event) {
      var step = event.target.getAttribute && event.target.getAttribute("data-step");
      if (step) { page += Number(step); render(); }
    });
    render();
  }

  function start() {
    var blocks = document.querySelectorAll(".osweek-filterable");
    for (var i = 0; i < blocks.length; i++) { enhance(blocks[i], i); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
