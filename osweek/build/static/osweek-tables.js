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
  var FIRST_PAGE = "osweek-first-page";  // osweek-book.css: rows after the 25th hidden on screen
  var HIDDEN = "osweek-row-hidden";  // hidden on screen only (osweek-book.css): print and the PDF show every row

  function enhance(block, n) {
    var table = block.querySelector("table");
    if (!table || !table.tBodies.length) { return; }
    var body = table.tBodies[0];
    var rows = null, texts = null;  // read from the page only when the reader first filters or pages: a long list costs nothing at load
    var total = body.rows.length, shown = null, page = 0;

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

    function load() {  // the first filter or page turn: take over from the stylesheet's first page
      if (rows) { return; }
      rows = Array.prototype.slice.call(body.rows);
      texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
      shown = rows;
      rows.forEach(function (row) { row.classList.add(HIDDEN); });
      table.classList.remove(FIRST_PAGE);
    }
    function describe(first, last, count) {
      status.textContent = count
        ? "Rows " + (first + 1) + "\u2013" + last + " of " + count + (count < total ? " (filtered from " + total + ")" : "")
        : "No row matches";
    }
    function render() {
      var count = shown ? shown.length : total;
      var pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
      page = Math.min(Math.max(page, 0), pages - 1);
      var first = page * PAGE_SIZE, last = Math.min(first + PAGE_SIZE, count);
      if (shown) {
        rows.forEach(function (row) { row.classList.add(HIDDEN); });
        shown.slice(first, last).forEach(function (row) { row.classList.remove(HIDDEN); });
      }
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
      describe(first, last, count);
    }
    input.addEventListener("input", function () {
      load();
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      shown = rows.filter(function (row, i) { return words.every(function (w) { return texts[i].indexOf(w) >= 0; }); });
      page = 0;
      render();
    });
    tools.addEventListener("click", function (event) {
      var step = event.target.getAttribute && event.target.getAttribute("data-step");
      if (step) { load(); page += Number(step); render(); }
    });
    table.classList.add(FIRST_PAGE);  // the stylesheet shows rows 1 to PAGE_SIZE until the reader filters or pages
    render();
  }

  function start() {
    var blocks = document.querySelectorAll(".osweek-filterable");
    for (var i = 0; i < blocks.length; i++) { enhance(blocks[i], i); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
