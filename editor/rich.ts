/*
 * The rich editor (built into public/editor/rich.js by scripts/build-editor.mjs, loaded by
 * public/editor/main.js only in the editor, only in rich mode). It edits the same Markdown as
 * the textarea it covers: every change is written back to the textarea (debounced, and at once
 * before the form is sent), so saving, autosave, "Send me a test" and a browser without this
 * script all keep working on the textarea as before.
 */
import { Editor, type JSONContent } from "@tiptap/core";
import { playerUrl } from "../src/core/embeds";
import { richExtensions } from "./extensions";
import { MarkdownSource } from "./source";
import { type Host, richToolbar, Shortcuts } from "./toolbar";

export type { Host } from "./toolbar";

const WRITE_BACK_MS = 300;

/** The editor over `host.markdown`; `stop()` hands the text back to the textarea (switching to Markdown). */
export function mountRich(host: Host): { stop(): void; reload(): void; editor: Editor } {
  const { markdown, t } = host;
  const source = new MarkdownSource();
  let opened = source.open(markdown.value);
  const field: HTMLElement = markdown.closest<HTMLElement>(".markdown-field") ?? markdown;
  const box = document.createElement("div");
  box.className = "rich";
  const surface = document.createElement("div");
  surface.className = "rich-surface";
  const count = document.createElement("p");
  count.className = "hint rich-count";
  field.before(box);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let written = markdown.value;
  /** The textarea gets the Markdown now (it is what the form sends), and the form hears of it (autosave). */
  function writeBack() {
    clearTimeout(timer);
    const text = source.save(editor.getJSON(), opened);
    if (text === written) return;
    written = text;
    markdown.value = text;
    markdown.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Counted at every change: the forms and formatters made once.
  const forms = host.plural("rich.words");
  const plurals = new Intl.PluralRules(host.locale);
  const numbers = new Intl.NumberFormat(host.locale);
  const words = (n: number) => (forms[plurals.select(n)] ?? forms.other ?? "{n}").replace("{n}", numbers.format(n));
  const countWords = () => {
    const text = editor.state.doc.textBetween(0, editor.state.doc.content.size, " ", " ").trim();
    count.textContent = words(text ? text.split(/\s+/).length : 0);
  };

  const editor: Editor = new Editor({
    element: surface,
    extensions: richExtensions([Shortcuts]),
    content: opened.doc,
    // The pages' Content-Security-Policy allows no inline style: the editor's own rules are in rich.css.
    injectCSS: false,
    editorProps: {
      // The caret kept clear of the sticky toolbar above and of a phone's keyboard below.
      scrollMargin: { top: 72, bottom: 96, left: 8, right: 8 },
      scrollThreshold: { top: 72, bottom: 96, left: 8, right: 8 },
      attributes: {
        class: "rich-text post-body",
        role: "textbox",
        "aria-multiline": "true",
        "aria-label": t("rich.label", "Text of the post"),
      },
      handlePaste: (_view, event) => {
        const files = imagesIn(event.clipboardData?.files);
        if (files.length) {
          void uploadAll(files);
          return true;
        }
        const text = event.clipboardData?.getData("text/plain")?.trim() ?? "";
        if (/^\S+$/.test(text) && playerUrl(text)) {
          insertVideo(text);
          return true;
        }
        return false;
      },
      handleDrop: (view, event) => {
        const files = imagesIn(event.dataTransfer?.files);
        if (!files.length) return false;
        event.preventDefault();
        const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
        if (at) editor.commands.setTextSelection(at.pos);
        void uploadAll(files);
        return true;
      },
    },
    onUpdate: () => {
      clearTimeout(timer);
      timer = setTimeout(writeBack, WRITE_BACK_MS);
      countWords();
    },
  });
  settleOpened();

  /** What a save compares with: the document as the editor holds it now (made into JSON only if a save asks). */
  function settleOpened() {
    const first = editor.state.doc;
    source.settle(opened, () => first.toJSON() as JSONContent);
  }

  /** An image in a paragraph of its own (a figure), where the cursor is, then chosen: the panel asks for its description. */
  function insertImage(url: string, alt: string) {
    const image: JSONContent = { type: "image", attrs: { src: url, alt } };
    const at = editor.state.selection.from;
    editor
      .chain()
      .focus()
      .insertContent({ type: "paragraph", content: [image] })
      .run();
    let pos = -1;
    const doc = editor.state.doc;
    doc.nodesBetween(Math.max(0, at - 2), Math.min(doc.content.size, at + 4), (node, p) => {
      if (pos < 0 && node.type.name === "image" && node.attrs.src === url) pos = p;
    });
    if (pos >= 0) editor.commands.setNodeSelection(pos);
  }
  function insertVideo(url: string) {
    editor
      .chain()
      .focus()
      .insertContent({ type: "embed", attrs: { src: url } })
      .run();
  }
  const uploadAll = (files: File[]) => host.uploadEach(files, (media, alt) => insertImage(media.url, alt));
  /** The images among what is pasted or dropped (other files are the browser's business). */
  const imagesIn = (files: FileList | undefined) => [...(files ?? [])].filter((f) => f.type.startsWith("image/"));

  const toolbar = richToolbar(editor, host, { insertImage, insertVideo });
  box.append(toolbar.bar, toolbar.panel, surface, count);
  field.hidden = true;
  countWords();

  const form = markdown.form;
  // Whatever sends the form (any of its buttons, Enter in a field) sends what the editor shows:
  // "submit" comes before the form's data is read.
  const beforeSend = () => writeBack();
  form?.addEventListener("submit", beforeSend, true);

  return {
    editor,
    /** The textarea changed under the editor (autosave restored a draft): show it. */
    reload() {
      if (markdown.value === written) return;
      opened = source.open(markdown.value);
      written = markdown.value;
      editor.commands.setContent(opened.doc, { emitUpdate: false });
      settleOpened();
      countWords();
    },
    stop() {
      writeBack();
      form?.removeEventListener("submit", beforeSend, true);
      editor.destroy();
      box.remove();
      field.hidden = false;
    },
  };
}
