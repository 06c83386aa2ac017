/* osweek-plotly.js - load plotly.js only when a figure comes into view, render
 * osweek figures and make them follow the theme.
 *
 * Loaded (deferred) only on pages that contain a figure; see osweek/sphinxext.py.
 * Its <script> tag names the plotly.js bundle (data-plotly-bundle, a file beside
 * this one in _static/). Nothing heavy loads with the page: plotly.js (1.5 MB) is
 * fetched the first time a figure scrolls into the viewport, and each figure is
 * drawn when it first becomes visible. Printing, and window.osweekRenderAll()
 * (used by `make pdf`), draw them all. Each figure is
 *   <div class="osweek-plotly">
 *     <div id="osweek-fig-NAME" class="plotly-graph-div"></div>
 *     <script type="application/json" data-osweek-plotly="osweek-fig-NAME">
 *       {"data": [...], "layout": {...}, "config": {...}}
 *     </script>
 *   </div>
 * Figures have transparent backgrounds; font and grid colours are taken from
 * the pydata-sphinx-theme CSS variables and re-applied whenever the theme
 * switches (<html data-theme="light|dark">).  Heatmaps: translucent colour-
 * scale stops are blended over the page background and the numbers on the
 * cells take the theme's text colour.  (Left to itself, plotly.js blends
 * translucent cells over white to choose between white and grey numbers:
 * dark numbers on dark cells in dark mode, and under 4.5:1 on mid-blue cells
 * in light mode.  osweek.figures.COUNT_SCALE stays light enough for both.)
 */
(function () {
  "use strict";

  var loader = document.currentScript;
  var bundleUrl = loader && new URL(loader.getAttribute("data-plotly-bundle") || "plotly.min.js", loader.src).href;
  var plotlyLoading = null;

  // plotly.js, fetched once, on first need.
  function loadPlotly() {
    if (typeof Plotly !== "undefined") return Promise.resolve();
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundleUrl;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("osweek-plotly: could not load " + bundleUrl)); };
        document.head.appendChild(script);
      });
    }
    return plotlyLoading;
  }

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
      background: v("--pst-color-background", dark ? "#121212" : "#ffffff"),
    };
  }

  // Any CSS colour -> [r, g, b, a] (r, g, b in 0-255), via the browser's own parser.
  var probe = null;
  function rgba(color) {
    if (!probe) {
      probe = document.createElement("span");
      probe.style.display = "none";
      document.body.appendChild(probe);
    }
    probe.style.color = "";
    probe.style.color = color;
    var m = getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0];
    return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1];
  }

  // A colour scale ([[position, colour], ...]) with every translucent stop
  // blended over the page background, so each cell's colour is what is seen.
  function opaqueScale(scale, background) {
    var bg = rgba(background);
    return scale.map(function (stop) {
      var c = rgba(stop[1]), a = c[3];
      if (a >= 1) return stop;
      var mix = [0, 1, 2].map(function (i) { return Math.round(c[i] * a + bg[i] * (1 - a)); });
      return [stop[0], "rgb(" + mix.join(",") + ")"];
    });
  }

  // The colour scales of the figure's heatmaps (from its JSON), by trace index.
  function ownScales(fig) {
    var scales = {};
    (fig.data || []).forEach(function (trace, i) {
      if (trace.type === "heatmap" && Array.isArray(trace.colorscale)) scales[i] = trace.colorscale;
    });
    return scales;
  }

  // Plotly.restyle arguments for those heatmaps in the current theme.
  function scaleUpdate(scales) {
    var c = themeColors(), values = [], fonts = [], traces = [];
    Object.keys(scales).forEach(function (i) {
      values.push(opaqueScale(scales[i], c.background));
      fonts.push(c.text);
      traces.push(+i);
    });
    return { update: { colorscale: values, "textfont.color": fonts }, traces: traces };
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

  // The title, re-wrapped to the figure's width: the build breaks it for a desktop column, and plotly never wraps
  // a title, so on a phone its lines would run off the figure. Room above the plot follows the number of lines.
  function fitTitle(layout, width) {
    var title = layout.title && layout.title.text;
    if (!title || !width) return;
    var perLine = Math.max(24, Math.floor((width - 24) / 8.5));
    var lines = [], line = "";
    title.split("<br>").join(" ").split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    lines.push(line);
    layout.title.text = lines.join("<br>");
    layout.margin = Object.assign({}, layout.margin, { t: 40 + 24 * lines.length });
  }

  // Draw one figure from its JSON block (once).
  function render(block) {
    var gd = document.getElementById(block.getAttribute("data-osweek-plotly"));
    if (!gd || gd.osweekDrawn) return Promise.resolve();
    gd.osweekDrawn = true;
    var fig = JSON.parse(block.textContent);
    fig.layout = fig.layout || {};
    fitTitle(fig.layout, gd.clientWidth);
    applyUpdate(fig.layout, themeUpdate(fig));
    gd.osweekScales = ownScales(fig);
    var scales = scaleUpdate(gd.osweekScales);
    scales.traces.forEach(function (i, k) {
      fig.data[i].colorscale = scales.update.colorscale[k];
      fig.data[i].textfont = Object.assign({}, fig.data[i].textfont, { color: scales.update["textfont.color"][k] });
    });
    return Plotly.newPlot(gd, fig.data || [], fig.layout, fig.config || {});
  }

  function blocks() {
    return Array.prototype.slice.call(document.querySelectorAll("script[data-osweek-plotly]"));
  }

  // Every figure, now (printing, the PDF edition, browsers without IntersectionObserver).
  function renderAll() {
    return loadPlotly().then(function () { return Promise.all(blocks().map(render)); });
  }
  window.osweekRenderAll = renderAll;

  // Each figure when it first comes into view.
  function renderWhenVisible() {
    if (!("IntersectionObserver" in window)) return renderAll();
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        var block = entry.target.querySelector("script[data-osweek-plotly]");
        if (block) loadPlotly().then(function () { return render(block); }).catch(function (e) { console.error(e); });
      });
    });
    blocks().forEach(function (block) { observer.observe(block.parentNode); });
  }

  function retheme() {
    if (typeof Plotly === "undefined") return;
    var gds = document.querySelectorAll(".osweek-plotly .plotly-graph-div.js-plotly-plot");
    Array.prototype.forEach.call(gds, function (gd) {
      Plotly.relayout(gd, themeUpdate(gd));
      var scales = scaleUpdate(gd.osweekScales || {});
      if (scales.traces.length) Plotly.restyle(gd, scales.update, scales.traces);
    });
  }

  function init() {
    renderWhenVisible();
    window.addEventListener("beforeprint", renderAll);
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
