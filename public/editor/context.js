// @ts-check
/* What every part of the editor shares: the form, its fields, the status line, the draft's values. */

/** The post's fields whose values are the draft (what autosave keeps and "unsaved changes" compares). */
export const NAMES = ["title", "slug", "date", "updated", "tags", "author", "summary", "cover", "markdown"];

/** @typedef {ReturnType<typeof makeContext>} Editor */

/**
 * The scripts' words in the person's language, as the page hands them over (the administration's
 * catalog, `client`); English stays in the code for a page that somehow lacks them.
 * @type {Record<string, any>}
 */
var words = {};
try {
  words = JSON.parse((document.getElementById("editor-words") || {}).textContent || "{}");
} catch (_err) {
  /* English below */
}

/**
 * What the catalog has under a dotted key ("rich.words"): a text, a counted text's forms, or undefined.
 * @param {string} key
 * @returns {any}
 */
export function lookup(key) {
  return key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), /** @type {any} */ (words));
}

/**
 * A text of the catalog with its `{name}` places filled, or the English given.
 * @param {string} key
 * @param {string} english
 * @param {Record<string, string>} [values]
 */
export function t(key, english, values = {}) {
  var text = lookup(key);
  return (typeof text === "string" ? text : english).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

/** The page's language, for dates and times. */
export const LOCALE = document.documentElement.lang || undefined;

/** @param {HTMLFormElement} editor */
function makeContext(editor) {
  var field = (/** @type {string} */ name) => /** @type {HTMLInputElement | HTMLTextAreaElement} */ (editor.elements.namedItem(name));
  var status = /** @type {HTMLElement} */ (editor.querySelector(".autosave-status"));
  function values() {
    /** @type {Record<string, string>} */
    var out = {};
    for (var name of NAMES) {
      var f = field(name);
      if (f) out[name] = f.value;
    }
    return out;
  }
  return {
    editor,
    csrf: editor.getAttribute("data-csrf") || "",
    field,
    title: field("title"),
    slug: field("slug"),
    markdown: /** @type {HTMLTextAreaElement} */ (field("markdown")),
    tags: field("tags"),
    cover: field("cover"),
    status,
    /** @param {string} text */
    say(text) {
      status.hidden = false;
      status.textContent = text;
    },
    values,
    /** The draft as the page was loaded: what "unsaved changes" are measured against. */
    initial: JSON.stringify(values()),
  };
}

/** The editor on this page, or null (the script loads only on editor pages, but never assumes it). */
export function editorContext() {
  var form = /** @type {HTMLFormElement | null} */ (document.getElementById("editor"));
  return form ? makeContext(form) : null;
}
