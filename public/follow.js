// @ts-check
/* The Copy button beside the fediverse handle on the Follow page (without JavaScript the handle is
   a read-only field to select). */
(() => {
  for (var button of document.querySelectorAll("[data-copy]")) {
    var field = /** @type {HTMLInputElement | null} */ (document.getElementById(button.getAttribute("data-copy") || ""));
    if (!field || !navigator.clipboard) continue;
    var input = field;
    var b = /** @type {HTMLButtonElement} */ (button);
    // The page's language: the server writes both words (views/pages/follow.tsx).
    const copy = (b.textContent || "").trim() || "Copy";
    const copied = b.getAttribute("data-copied") || "Copied";
    b.hidden = false;
    b.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        b.textContent = copied;
      } catch (_err) {
        input.select();
      }
      setTimeout(() => {
        b.textContent = copy;
      }, 2000);
    });
  }
})();
