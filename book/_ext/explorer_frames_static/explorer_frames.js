// In-book explorers (book/_ext/explorer_frames.py): the frames were drawn by the library when
// the book was built; this script only picks the frame for the controls' setting, and loads
// the neighbouring frames ahead of time so that a move shows its frame at once.
//
// An explorer declared with slices (chinchilla_lib.widgets.frames) has no frame for some
// settings of its controls. When a move lands on one, the moved control keeps its new value
// and the page shows, among the frames with that value, the one with the fewest other
// controls changed, then the smallest sum of index distances, then the fewest controls away
// from their defaults, then the first in the manifest's order; the other controls move there
// visibly. frames.nearest_key in the library states the same rule (the tests compare them).
(function () {
  "use strict";

  function setUp(root) {
    const manifest = JSON.parse(root.querySelector("script.explorer-frames-manifest").textContent);
    const base = root.dataset.base;
    const names = Object.keys(manifest.grid);
    const keys = Object.keys(manifest.frames);
    const home = manifest.home || names.map(function () { return 0; });
    const controls = names.map(function (name) {
      return root.querySelector('[data-param="' + name + '"]');
    });
    const image = root.querySelector("img.explorer-frames-image");
    const summary = root.querySelector(".explorer-frames-summary");
    const loaded = new Map();
    // The frame the page was built showing (not the controls: see the end of setUp).
    let current = root.dataset.frame.split("-").map(Number);

    function indexOf(control) {
      return control.type === "checkbox" ? (control.checked ? 1 : 0) : Number(control.value);
    }

    function setIndex(control, index) {
      if (control.type === "checkbox") {
        control.checked = index === 1;
      } else {
        control.value = String(index);
      }
    }

    function lessThan(a, b) {  // lexicographic order of two scores
      for (let k = 0; k < a.length; k += 1) {
        if (a[k] !== b[k]) { return a[k] < b[k]; }
      }
      return false;
    }

    // The key shown when control `moved` goes to `index` from `from` (see the header).
    function nearest(from, moved, index) {
      const target = from.slice();
      target[moved] = index;
      const wanted = target.join("-");
      if (manifest.frames[wanted]) { return wanted; }
      let best = null;
      let choice = null;
      keys.forEach(function (key, order) {
        const indices = key.split("-").map(Number);
        if (indices[moved] !== index) { return; }
        let changed = 0, distance = 0, away = 0;
        indices.forEach(function (i, j) {
          if (i !== home[j]) { away += 1; }
          if (j === moved) { return; }
          if (i !== from[j]) { changed += 1; distance += Math.abs(i - from[j]); }
        });
        const score = [changed, distance, away, order];
        if (best === null || lessThan(score, best)) {
          best = score;
          choice = key;
        }
      });
      return choice;
    }

    function preload(key) {
      const frame = key && manifest.frames[key];
      if (frame && !loaded.has(key)) {
        const img = new Image();
        img.src = base + frame.file;
        // Decode ahead too, so that showing the frame is only a paint.
        img.decode().catch(function () { /* shown later anyway; nothing to report */ });
        loaded.set(key, img);
      }
    }

    function preloadNeighbours(indices) {
      names.forEach(function (name, i) {
        const count = manifest.grid[name].length;
        [-1, 1, -2, 2].forEach(function (step) {
          const j = indices[i] + step;
          if (j >= 0 && j < count) {
            preload(nearest(indices, i, j));
          }
        });
      });
    }

    function show(event) {
      let indices = controls.map(indexOf);
      let key = indices.join("-");
      if (!manifest.frames[key]) {
        const moved = controls.indexOf(event && event.target);
        if (moved < 0) { return; }
        key = nearest(current, moved, indices[moved]);
        if (key === null) { return; }
        indices = key.split("-").map(Number);
        controls.forEach(function (control, i) { setIndex(control, indices[i]); });
      }
      const frame = manifest.frames[key];
      current = indices;
      controls.forEach(function (control, i) {
        if (control.type === "range") {
          const text = manifest.shown[names[i]][indices[i]];
          control.setAttribute("aria-valuetext", text);
          const output = control.parentElement.querySelector("output");
          if (output) { output.textContent = text; }
        }
      });
      image.src = base + frame.file;
      image.alt = frame.alt;
      summary.innerHTML = frame.summary;
      root.dataset.frame = key;
      preloadNeighbours(indices);
    }

    controls.forEach(function (control) {
      control.addEventListener("input", show);
      control.addEventListener("change", show);
    });
    // A browser may restore a control's position after a reload (Firefox does) while the
    // figure shows the page's first frame: put the controls back on that frame.
    controls.forEach(function (control, i) { setIndex(control, current[i]); });
    root.querySelector(".explorer-frames-controls").hidden = false;
    loaded.set(current.join("-"), image);
    preloadNeighbours(current);
  }

  function setUpAll() {
    document.querySelectorAll(".explorer-frames").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
