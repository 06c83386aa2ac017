/* osweek-plotly.js - render osweek figures and make them follow the theme.
 *
 * Loaded (deferred, after plotly.js) only on pages that contain a figure; see
 * osweek/sphinxext.py.  Each figure is
 *   <div class="osweek-plotly">
 *     <div id="osweek-fig-NAME" class="plotly-graph-div"></div>
 *     <script type="application/json" data-osweek-plotly="osweek-fig-NAME">
 *       {"data": [...], "layout": {...}, "config": {...}}
 *     </script>
 *   </div>
 * Figures have transparent backgrounds; font and grid colours are taken from
 * the pydata-sphinx-theme CSS variables and re-applied whenever the theme
 * switches (<html data-theme="light|dark">).
 */
(function () {
  "use strict";

  // Colours of the current theme, read from the theme's CSS variables.
  function themeColors() {
    var css = getComputedStyle(document.documentElement);
    function v(name, fallback) {
      return css.getPropertyValue(name).trim() || fallback;
    }
    var dark = document.documentElement.dataset.theme === "dark";
    return {
      text: v("--pst-color-text-base", dark ? "#ced6dd" : "#222832"),
      grid: v("--pst-color-border", dark ? "#48566b" : "#d1d5da"),
    };
  }

  // Layout update (Plotly.relayout "attribute string" form) for all axes.
  function themeUpdate(gd) {
    var c = themeColors();
    var update = { "font.color": c.text };
    var layout = (gd && gd.layout) || {};
    var axes = Object.keys(layout).filter(function (k) {
      return /^[xy]axis\d*$/.test(k);
    });
    if (axes.indexOf("xaxis") < 0) axes.push("xaxis");
    if (axes.indexOf("yaxis") < 0) axes.push("yaxis");
    axes.forEach(function (ax) {
      update[ax + ".gridcolor"] = c.grid;
      update[ax + ".zerolinecolor"] = c.grid;
      update[ax + ".linecolor"] = c.grid;
    });
    return update;
  }

  // Apply an attribute-string update to a plain layout object (before newPlot).
  function applyUpdate(layout, update) {
    Object.keys(update).forEach(function (path) {
      var keys = path.split("."), obj = layout;
      for (var i = 0; i < keys.length - 1; i++) {
        if (typeof obj[keys[i]] !== "object" || obj[keys[i]] === null) obj[keys[i]] = {};
        obj = obj[keys[i]];
      }
      obj[keys[keys.length - 1]] = update[path];
    });
  }

  function renderAll() {
    if (typeof Plotly === "undefined") {
      console.warn("osweek-plotly: plotly.js is not loaded");
      return;
    }
    var blocks = document.querySelectorAll("script[data-osweek-plotly]");
    Array.prototype.forEach.call(blocks, function (block) {
      var gd = document.getElementById(block.getAttribute("data-osweek-plotly"));
      if (!gd) return;
      var fig = JSON.parse(block.textContent);
      fig.layout = fig.layout || {};
      applyUpdate(fig.layout, themeUpdate(fig));
      Plotly.newPlot(gd, fig.data || [], fig.layout, fig.config || {});
    });
  }

  function retheme() {
    var gds = document.querySelectorAll(".osweek-plotly .plotly-graph-div.js-plotly-plot");
    Array.prototype.forEach.call(gds, function (gd) {
      Plotly.relayout(gd, themeUpdate(gd));
    });
  }

  function init() {
    renderAll();
    new MutationObserver(retheme).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["data-theme"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
