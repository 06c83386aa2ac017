/* osweek-tables.js - a filter box and pages for the book's long tables.
 *
 * Loaded (deferred) only on pages with a table marked <div class="osweek-table-block osweek-filterable">;
 * see osweek/build/sphinxext.py. A labelled search box keeps the rows whose text contains every word
 * typed (any order, any case), and Previous / Next buttons page through them, PAGE_SIZE rows at a time;
 * a live status line says which rows show.
 *
 * In the HTML book a long table holds only its first page of rows; all of them are in a file of the same
 * book (data-rows, tables/NAME.rows.js), which this script loads, as a script so that it works from a
 * folder opened from disk too, when the reader first filters or turns a page. It loads nothing from any
 * other host. Without data-rows (the single-page build behind the PDF) every row is in the page, hidden
 * on screen only, so print shows them all.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 25;
  var FIRST_PAGE = "osweek-first-page";  // osweek-book.css: rows after the 25th hidden on screen
  var HIDDEN = "osweek-row-hidden";  // hidden on screen only (osweek-book.css)
  var waiting = {};  // table name -> callbacks waiting for its rows file

  window.osweekTableRows = function (name, data) {  // called by tables/NAME.rows.js
    var callbacks = waiting[name] || [];
    waiting[name] = data;
    callbacks.forEach(function (callback) { callback(data); });
  };

  function rowsFile(name, src, callback) {
    var known = waiting[name];
    if (known && !Array.isArray(known)) { callback(known); return; }
    if (known) { known.push(callback); return; }
    waiting[name] = [callback];
    var script = document.createElement("script");
    script.src = src;
    script.onerror = function () { callback(null); };
    document.head.appendChild(script);
  }

  function enhance(block, n) {
    var table = block.querySelector("table");
    if (!table || !table.tBodies.length) { return; }
    var body = table.tBodies[0];
    var src = block.getAttribute("data-rows");
    var name = block.id.replace(/^table-/, "");
    var rows = null, texts = null, html = null;  // read only when the reader first filters or pages: a long list costs nothing at load
    var total = src ? Number(block.getAttribute("data-total")) : body.rows.length, shown = null, page = 0, busy = false, pending = null;

    var tools = document.createElement("div");
    tools.className = "osweek-table-tools";
    var id = "osweek-filter-" + n;
    tools.innerHTML =
      '<label for="' + id + '">Filter rows</label> <input type="search" id="' + id + '" autocomplete="off" spellcheck="false">' +
      ' <button type="button" data-step="-1">Previous</button> <button type="button" data-step="1">Next</button>' +
      ' <span class="osweek-table-status" role="status" aria-live="polite"></span>';
    block.insertBefore(tools, block.firstChild);
    block.classList.add("osweek-enhanced");
    var input = tools.querySelector("input"), status = tools.querySelector("span");
    var previous = tools.querySelector('[data-step="-1"]'), next = tools.querySelector('[data-step="1"]');

    function load(then) {  // the first filter or page turn: take over from the stylesheet's first page
      if (rows) { then(); return; }
      if (!src) {
        rows = Array.prototype.slice.call(body.rows);
        texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
        shown = rows.map(function (row, i) { return i; });
        rows.forEach(function (row) { row.classList.add(HIDDEN); });
        table.classList.remove(FIRST_PAGE);
        then();
        return;
      }
      pending = then;  // while the file loads, the reader's last action is the one to do
      if (busy) { return; }
      busy = true;
      status.textContent = "Loading the rows\u2026";
      rowsFile(name, src, function (data) {
        busy = false;
        if (!data) { status.textContent = "The rows could not be loaded; the CSV file has them all."; return; }
        html = data.rows; texts = data.texts; rows = html;
        shown = html.map(function (row, i) { return i; });
        table.classList.remove(FIRST_PAGE);
        pending();
      });
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
      if (shown && html) {  // rows from the file: the page holds only those on screen
        body.innerHTML = shown.slice(first, last).map(function (i) { return html[i]; }).join("");
      } else if (shown) {
        rows.forEach(function (row) { row.classList.add(HIDDEN); });
        shown.slice(first, last).forEach(function (i) { rows[i].classList.remove(HIDDEN); });
      }
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
      describe(first, last, count);
    }
    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      shown = [];
      for (var i = 0; i < texts.length; i++) {
        if (words.every(function (w) { return texts[i].indexOf(w) >= 0; })) { shown.push(i); }
      }
      page = 0;
      render();
    }
    input.addEventListener("input", function () { load(filter); });
    tools.addEventListener("click", function (event) {
      var step = event.target.getAttribute && event.target.getAttribute("data-step");
      if (step) { load(function () { page += Number(step); render(); }); }
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
