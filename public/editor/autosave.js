// @ts-check
/* Autosave of the draft in progress in this browser, a way back to it after a crash or a closed
   tab, and a warning before leaving unsaved changes. */
import { LOCALE, NAMES, t } from "./context.js";

/**
 * @param {import("./context.js").Editor} ed
 * @param {() => void} refresh shows restored text in the preview
 */
export function autosave({ editor, field, values, initial, say }, refresh) {
  var storageKey = "edge-blog:editor:" + location.host + ":" + (editor.getAttribute("data-slug") || "new");
  var submitting = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  var saveTimer;
  editor.addEventListener("input", () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      try {
        localStorage.setItem(storageKey, JSON.stringify({ at: new Date().toISOString(), values: values(), base: initial }));
        say(t("keptAt", "Unsaved changes kept in this browser at {time}.", { time: new Date().toLocaleTimeString(LOCALE) }));
      } catch (_err) {
        /* private mode or full: nothing kept */
      }
    }, 800);
  });
  try {
    var kept = JSON.parse(localStorage.getItem(storageKey) || "null");
    if (kept && kept.values && JSON.stringify(kept.values) !== initial) {
      var note = document.createElement("p");
      note.className = "notice autosave-offer";
      note.setAttribute("role", "status");
      note.textContent =
        t("keptFrom", "This browser kept unsaved changes from {time}.", { time: new Date(kept.at).toLocaleString(LOCALE) }) + " ";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "small";
      restore.textContent = t("restore", "Restore them");
      restore.addEventListener("click", () => {
        for (var name of NAMES) {
          var f = field(name);
          if (f && typeof kept.values[name] === "string" && !(name === "slug" && f.readOnly)) f.value = kept.values[name];
        }
        note.remove();
        refresh();
      });
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "small secondary";
      discard.textContent = t("discard", "Discard");
      discard.addEventListener("click", () => {
        localStorage.removeItem(storageKey);
        note.remove();
      });
      note.append(restore, " ", discard);
      editor.before(note);
    }
  } catch (_err) {
    /* nothing kept */
  }

  editor.addEventListener("submit", () => {
    submitting = true;
    try {
      localStorage.removeItem(storageKey);
    } catch (_err) {
      /* nothing kept */
    }
  });
  window.addEventListener("beforeunload", (e) => {
    if (submitting || JSON.stringify(values()) === initial) return;
    e.preventDefault();
    e.returnValue = "";
  });
}
