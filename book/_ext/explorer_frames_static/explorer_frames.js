// In-book explorers (book/_ext/explorer_frames.py): the frames were drawn by the library when
// the book was built; this script only picks the frame for the controls' setting, and loads
// the neighbouring frames ahead of time so that a move shows its frame at once.
(function () {
  "use strict";

  function setUp(root) {
    const manifest = JSON.parse(root.querySelector("script.explorer-frames-manifest").textContent);
    const base = root.dataset.base;
    const names = Object.keys(manifest.grid);
    const controls = names.map(function (name) {
      return root.querySelector('[data-param="' + name + '"]');
    });
    const image = root.querySelector("img.explorer-frames-image");
    const summary = root.querySelector(".explorer-frames-summary");
    const loaded = new Map();

    function indexOf(control) {
      return control.type === "checkbox" ? (control.checked ? 1 : 0) : Number(control.value);
    }

    function preload(key) {
      const frame = manifest.frames[key];
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
            const next = indices.slice();
            next[i] = j;
            preload(next.join("-"));
          }
        });
      });
    }

    function show() {
      const indices = controls.map(indexOf);
      const key = indices.join("-");
      const frame = manifest.frames[key];
      if (!frame) { return; }
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
    root.querySelector(".explorer-frames-controls").hidden = false;
    const start = controls.map(indexOf);
    loaded.set(start.join("-"), image);
    preloadNeighbours(start);
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
