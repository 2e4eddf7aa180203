// @ts-check
/* The Markdown toolbar and its keyboard shortcuts: each wraps the selection (or a placeholder). */
import { t } from "./context.js";

/**
 * @param {import("./context.js").Editor} ed
 * @param {() => void} insertImage chooses, uploads and inserts an image
 */
export function toolbar({ markdown }, insertImage) {
  /**
   * @param {string} before
   * @param {string} after
   * @param {string} placeholder
   */
  function wrap(before, after, placeholder) {
    var start = markdown.selectionStart;
    var end = markdown.selectionEnd;
    var chosen = markdown.value.slice(start, end) || placeholder;
    markdown.setRangeText(before + chosen + after, start, end, "end");
    markdown.setSelectionRange(start + before.length, start + before.length + chosen.length);
    markdown.focus();
    markdown.dispatchEvent(new Event("input"));
  }
  /** @param {string} prefix */
  function linePrefix(prefix) {
    var start = markdown.value.lastIndexOf("\n", markdown.selectionStart - 1) + 1;
    var end = markdown.selectionEnd;
    var lines = markdown.value.slice(start, end).split("\n");
    markdown.setRangeText(lines.map((l) => prefix + l).join("\n"), start, end, "end");
    markdown.focus();
    markdown.dispatchEvent(new Event("input"));
  }
  /** @type {[string, string, string, () => void][]} */
  var tools = [
    [t("faces.bold", "B"), t("bold", "Bold (Ctrl+B)"), "b", () => wrap("**", "**", t("boldText", "bold text"))],
    [t("faces.italic", "I"), t("italic", "Italic (Ctrl+I)"), "i", () => wrap("_", "_", t("italicText", "italic text"))],
    [t("faces.link", "Link"), t("link", "Link (Ctrl+K)"), "k", () => wrap("[", "](https://)", t("linkText", "link text"))],
    [t("faces.heading", "H"), t("heading", "Heading (Ctrl+H)"), "h", () => linePrefix("## ")],
    [t("faces.list", "List"), t("list", "Bulleted list (Ctrl+L)"), "l", () => linePrefix("- ")],
    [t("faces.quote", "Quote"), t("quote", "Quote (Ctrl+Q)"), "q", () => linePrefix("> ")],
    [t("faces.code", "Code"), t("code", "Code (Ctrl+E)"), "e", () => wrap("`", "`", t("codeText", "code"))],
    [t("faces.image", "Image"), t("image", "Insert an image (Ctrl+G)"), "g", insertImage],
  ];
  var bar = document.createElement("div");
  bar.className = "md-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", t("toolbar", "Formatting"));
  for (var [label, hint, , act] of tools) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small secondary";
    button.textContent = label;
    button.title = hint;
    button.setAttribute("aria-label", hint);
    button.addEventListener("click", act);
    bar.appendChild(button);
  }
  markdown.before(bar);
  markdown.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    var tool = tools.find((t) => t[2] === e.key.toLowerCase());
    if (tool) {
      e.preventDefault();
      tool[3]();
    }
  });
}
