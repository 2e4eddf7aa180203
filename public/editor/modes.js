// @ts-check
/* Rich text or Markdown: the switch above the text, remembered for the person (the server keeps it
   with them and in a cookie on each browser they sign in on). Rich text loads the rich editor
   (rich.js, built from editor/rich.ts) over the textarea; Markdown is the textarea itself. Both
   edit the same Markdown, so switching loses nothing. */
import { LOCALE, lookup, t } from "./context.js";

/** @returns {"rich" | "markdown"} The person's choice (src/core/vocabulary.ts EDITOR_MODE_COOKIE); rich by default. */
function remembered() {
  return /(?:^|;\s*)__Host-edge_editor=markdown(?:;|$)/.test(document.cookie) ? "markdown" : "rich";
}

/** @param {string} csrf @param {string} mode */
function keep(csrf, mode) {
  var body = new URLSearchParams({ csrf, mode });
  // Not kept (offline, session ended): this page still switches; the next one opens as before.
  fetch("/admin/me/editor-mode", { method: "POST", body }).catch(() => {});
}

/**
 * @param {import("./context.js").Editor} ed
 * @param {ReturnType<typeof import("./images.js").images>} img
 * @returns {{ reload(): void }}
 */
export function writingModes(ed, img) {
  var field = ed.markdown.closest(".markdown-field");
  var split = ed.editor.closest(".editor-split");
  if (!field || !split) return { reload() {} };
  /** @type {{ stop(): void, reload(): void } | null} */
  var rich = null;
  /** The mode last asked for (the rich editor may still be loading). */
  var wanted = "";
  var group = document.createElement("div");
  group.className = "mode-switch";
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", t("rich.modes", "Writing mode"));
  /** @param {"rich" | "markdown"} mode @param {string} text */
  function modeButton(mode, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "small secondary";
    b.textContent = text;
    b.dataset.mode = mode;
    b.addEventListener("click", () => use(mode, true));
    group.append(b);
    return b;
  }
  var buttons = [modeButton("rich", t("rich.rich", "Rich text")), modeButton("markdown", t("rich.markdown", "Markdown"))];
  field.before(group);

  /** @param {"rich" | "markdown"} mode */
  function show(mode) {
    for (var b of buttons) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
    split?.classList.toggle("rich-mode", mode === "rich");
  }

  /** @param {"rich" | "markdown"} mode @param {boolean} chosen */
  async function use(mode, chosen) {
    wanted = mode;
    if (chosen) keep(ed.csrf, mode);
    if (mode === "markdown") {
      if (rich) rich.stop();
      rich = null;
      show("markdown");
      if (chosen) ed.markdown.focus();
      return;
    }
    if (rich) return;
    try {
      var styles = document.createElement("link");
      styles.rel = "stylesheet";
      styles.href = "/editor/rich.css";
      if (!document.querySelector('link[href="/editor/rich.css"]')) document.head.append(styles);
      var { mountRich } = await import("./rich.js");
      // Markdown chosen while the editor was loading: it stays Markdown.
      if (wanted !== "rich" || rich) return;
      rich = mountRich({
        markdown: ed.markdown,
        t,
        plural: (/** @type {string} */ key) => {
          var forms = lookup(key);
          return forms && typeof forms === "object" ? forms : { other: "{n}" };
        },
        say: ed.say,
        locale: LOCALE,
        uploadEach: img.uploadEach,
        chooseImage: img.chooseImage,
        cover: /** @type {HTMLInputElement | null} */ (ed.cover),
      });
      show("rich");
      if (chosen && rich) /** @type {any} */ (rich).editor.commands.focus();
    } catch (err) {
      // The textarea stays: nothing is lost when the rich editor cannot start.
      show("markdown");
      ed.say(
        t("rich.failed", "The rich editor could not start ({error}); the Markdown is here.", {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }
  }

  use(remembered(), false);
  return {
    reload() {
      if (rich) rich.reload();
    },
  };
}
