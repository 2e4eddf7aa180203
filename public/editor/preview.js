// @ts-check
/* The live preview, side by side, rendered by the same code that publishes (POST /api/preview). */

import { t } from "./context.js";

/**
 * @param {import("./context.js").Editor} ed
 * @returns {() => Promise<void>} renders the preview now
 */
export function livePreview({ editor, csrf, markdown, title, say }) {
  var preview = document.getElementById("preview");
  var body = preview && /** @type {HTMLElement} */ (preview.querySelector(".post-body"));
  var heading = preview && /** @type {HTMLElement} */ (preview.querySelector(".preview-heading"));
  // The server-side Preview button is for browsers without this script.
  for (var b of editor.querySelectorAll("[data-nojs-only]")) /** @type {HTMLElement} */ (b).hidden = true;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  var timer;
  var run = 0;
  async function render() {
    if (!preview || !body || !heading) return;
    var mine = ++run;
    try {
      var res = await fetch("/api/preview", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ markdown: markdown.value }),
      });
      var data = await res.json();
      if (mine !== run) return;
      if (!res.ok) throw new Error(data.error ? data.error.message : "the preview failed");
      preview.hidden = false;
      heading.textContent = title.value;
      // The editor's own Markdown as the publishing code renders it (the same HTML readers get).
      body.innerHTML = data.html;
    } catch (err) {
      say(t("previewFailed", "Preview unavailable: {error}", { error: err instanceof Error ? err.message : String(err) }));
    }
  }
  markdown.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 250);
  });
  title.addEventListener("input", () => {
    if (heading) heading.textContent = title.value;
  });
  render();
  return render;
}
