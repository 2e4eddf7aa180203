/*
 * The rich editor's toolbar (one tab stop; the arrow keys move along it, as a toolbar does for a
 * screen reader; Alt+F10 reaches it from the text) and its one panel below: a link's address, a
 * video's address, or the image chosen in the text (its description, caption, and "use as cover").
 */
import { type ChainedCommands, type Editor, Extension } from "@tiptap/core";
import { NodeSelection } from "@tiptap/pm/state";
import { playerUrl } from "../src/core/embeds";

/** What the page gives the editor (public/editor/main.js): its textarea, words and uploads. */
export interface Host {
  markdown: HTMLTextAreaElement;
  /** A text of the administration's catalog (`client`), its `{name}` places filled. */
  t(key: string, english: string, values?: Record<string, string>): string;
  /** A counted text's forms (`{ one, other }`). */
  plural(key: string): Record<string, string | undefined>;
  say(text: string): void;
  locale: string | undefined;
  /** Uploads the images among `files` in turn, each handed over with its description (public/editor/images.js). */
  uploadEach(files: File[], then: (media: { url: string }, alt: string) => void): Promise<void>;
  chooseImage(then: (url: string, alt: string) => void): void;
  cover: HTMLInputElement | null;
}

interface Inserts {
  insertImage(url: string, alt: string): void;
  insertVideo(url: string): void;
}

/** The keys that open the toolbar's panels, bound once the toolbar exists. */
export const keys = { link: () => {}, image: () => {}, toolbar: () => {} };

const run = (act: () => void) => {
  act();
  return true;
};

export const Shortcuts = Extension.create({
  name: "richShortcuts",
  addKeyboardShortcuts: () => ({
    "Mod-k": () => run(keys.link),
    "Mod-g": () => run(keys.image),
    "Alt-F10": () => run(keys.toolbar),
  }),
});

type Tool = {
  key: string;
  face: string;
  hint: string;
  run: () => void;
  on?: () => boolean;
  can?: () => boolean;
};

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), props);
}

export function richToolbar(editor: Editor, host: Host, inserts: Inserts) {
  const { t } = host;
  const chain = () => editor.chain().focus();
  const tool = (key: string, face: string, hint: string, run: () => void, on?: () => boolean, can?: () => boolean): Tool => ({
    key,
    face: t(`rich.faces.${key}`, face),
    hint: t(`rich.${key}`, hint),
    run,
    on,
    can,
  });
  /** A button that turns something on and off where the caret is, and shows whether it is on there. */
  const toggle = (key: string, face: string, hint: string, on: (c: ChainedCommands) => ChainedCommands, ...active: [string, object?]) =>
    tool(
      key,
      face,
      hint,
      () => on(chain()).run(),
      () => editor.isActive(...active),
    );
  const tools: Tool[] = [
    tool(
      "undo",
      "↶",
      "Undo (Ctrl+Z)",
      () => chain().undo().run(),
      undefined,
      () => editor.can().undo(),
    ),
    tool(
      "redo",
      "↷",
      "Redo (Ctrl+Shift+Z)",
      () => chain().redo().run(),
      undefined,
      () => editor.can().redo(),
    ),
    toggle("heading", "H2", "Heading (Ctrl+Alt+2)", (c) => c.toggleHeading({ level: 2 }), "heading", { level: 2 }),
    toggle("subheading", "H3", "Subheading (Ctrl+Alt+3)", (c) => c.toggleHeading({ level: 3 }), "heading", { level: 3 }),
    toggle("bold", "B", "Bold (Ctrl+B)", (c) => c.toggleBold(), "bold"),
    toggle("italic", "I", "Italic (Ctrl+I)", (c) => c.toggleItalic(), "italic"),
    tool(
      "link",
      "Link",
      "Link (Ctrl+K)",
      () => linkPanel(),
      () => editor.isActive("link"),
    ),
    toggle("bullets", "• List", "Bulleted list (Ctrl+Shift+8)", (c) => c.toggleBulletList(), "bulletList"),
    toggle("numbers", "1. List", "Numbered list (Ctrl+Shift+7)", (c) => c.toggleOrderedList(), "orderedList"),
    toggle("quote", "Quote", "Quote (Ctrl+Shift+B)", (c) => c.toggleBlockquote(), "blockquote"),
    toggle("code", "Code", "Code (Ctrl+E)", (c) => c.toggleCode(), "code"),
    toggle("codeBlock", "{ }", "Code block (Ctrl+Alt+C)", (c) => c.toggleCodeBlock(), "codeBlock"),
    tool("table", "Table", "Insert a table", () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()),
    tool("rule", "―", "Horizontal line", () => chain().setHorizontalRule().run()),
    tool("image", "Image", "Insert an image (Ctrl+G)", () => host.chooseImage((url, alt) => inserts.insertImage(url, alt))),
    tool("video", "Video", "Embed a YouTube or Vimeo video", () => videoPanel()),
  ];

  const bar = element("div", { className: "rich-toolbar" });
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", t("toolbar", "Formatting"));
  const buttons = tools.map((tl, i) => {
    const b = element("button", {
      type: "button",
      className: "small secondary",
      textContent: tl.face,
      title: tl.hint,
      tabIndex: i ? -1 : 0,
    });
    // The name says what it does and holds the face's words too (what a voice-control user says: "H2").
    const face = tl.face
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim()
      .toLowerCase();
    b.setAttribute("aria-label", !face || tl.hint.toLowerCase().includes(face) ? tl.hint : `${tl.face}: ${tl.hint}`);
    b.dataset.tool = tl.key;
    // As a post opens: nothing to undo or redo, the caret at the start (the first change refreshes them).
    if (tl.on) b.setAttribute("aria-pressed", "false");
    if (tl.can) b.setAttribute("aria-disabled", "true");
    // Keeps the text's selection: the button acts on it, and the focus goes back to the text.
    b.addEventListener("mousedown", (e) => e.preventDefault());
    b.addEventListener("click", () => {
      if (!tl.can || tl.can()) tl.run();
    });
    bar.append(b);
    return b;
  });
  // One tab stop; the arrows, Home and End move along the toolbar, Escape goes back to the text.
  bar.addEventListener("keydown", (e) => {
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const n = buttons.length;
    const moves: Record<string, number> = { ArrowRight: (at + 1) % n, ArrowLeft: (at - 1 + n) % n, Home: 0, End: n - 1 };
    if (at < 0 || !(e.key in moves || e.key === "Escape")) return;
    e.preventDefault();
    if (e.key === "Escape") return void editor.commands.focus();
    const to = moves[e.key]!;
    buttons[at]!.tabIndex = -1;
    buttons[to]!.tabIndex = 0;
    buttons[to]!.focus();
  });
  const refresh = () => {
    tools.forEach((tl, i) => {
      if (tl.on) buttons[i]!.setAttribute("aria-pressed", String(tl.on()));
      // aria-disabled, not disabled: the arrows still reach it, and a screen reader says why nothing happens.
      if (tl.can) buttons[i]!.setAttribute("aria-disabled", String(!tl.can()));
    });
    imagePanelIfChosen();
  };
  editor.on("transaction", refresh);

  const panel = element("div", { className: "rich-panel", hidden: true });
  panel.setAttribute("role", "group");
  let panelKind = "";
  function closePanel(focusText = true) {
    panel.hidden = true;
    panel.replaceChildren();
    panelKind = "";
    if (focusText) editor.commands.focus();
  }
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      closePanel();
    }
  });
  /** A panel of labelled fields and buttons; Enter in a field is its first button. */
  function openPanel(
    kind: string,
    label: string,
    fields: { id: string; label: string; value: string; type?: string }[],
    actions: [string, () => void][],
  ) {
    panelKind = kind;
    panel.replaceChildren();
    panel.setAttribute("aria-label", label);
    panel.hidden = false;
    const inputs = fields.map((f) => {
      const input = element("input", { id: f.id, value: f.value, type: f.type ?? "text" });
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          actions[0]![1]();
        }
      });
      const l = element("label", { htmlFor: f.id, textContent: f.label });
      panel.append(element("span", { className: "rich-field" }));
      panel.lastElementChild!.append(l, input);
      return input;
    });
    const row = element("span", { className: "rich-actions" });
    for (const [text, act] of actions) {
      const b = element("button", { type: "button", className: "small secondary", textContent: text });
      b.addEventListener("click", act);
      row.append(b, " ");
    }
    panel.append(row);
    return inputs;
  }

  function linkPanel() {
    const href = String(editor.getAttributes("link").href ?? "");
    const [input] = openPanel(
      "link",
      t("rich.link", "Link (Ctrl+K)"),
      [{ id: "rich-link", label: t("rich.linkAddress", "Link address"), value: href || "https://", type: "url" }],
      [
        [
          t("rich.apply", "Apply"),
          () => {
            const url = input!.value.trim();
            if (!/^(https?:\/\/|mailto:|\/|#)/i.test(url)) return host.say(t("rich.badLink", "A link starts with https://, mailto: or /."));
            const c = chain().extendMarkRange("link");
            if (editor.state.selection.empty && !editor.isActive("link")) {
              c.insertContent({ type: "text", text: url, marks: [{ type: "link", attrs: { href: url } }] }).run();
            } else c.setLink({ href: url }).run();
            closePanel();
          },
        ],
        [
          t("rich.removeLink", "Remove the link"),
          () => {
            chain().extendMarkRange("link").unsetLink().run();
            closePanel();
          },
        ],
        [t("rich.cancel", "Cancel"), () => closePanel()],
      ],
    );
    input!.focus();
    input!.select();
  }

  function videoPanel() {
    const [input] = openPanel(
      "video",
      t("rich.video", "Embed a YouTube or Vimeo video"),
      [{ id: "rich-video", label: t("rich.videoAddress", "Address of the YouTube or Vimeo video"), value: "", type: "url" }],
      [
        [
          t("rich.apply", "Apply"),
          () => {
            const url = input!.value.trim();
            if (!playerUrl(url)) return host.say(t("rich.notVideo", "This is not the address of a YouTube or Vimeo video."));
            closePanel(false);
            inserts.insertVideo(url);
          },
        ],
        [t("rich.cancel", "Cancel"), () => closePanel()],
      ],
    );
    input!.focus();
  }

  /** The image chosen in the text (clicked, or just inserted): its words, and the cover. */
  function imagePanelIfChosen() {
    const sel = editor.state.selection;
    const image = sel instanceof NodeSelection && sel.node.type.name === "image" ? sel.node : null;
    if (!image) {
      if (panelKind === "image") closePanel(false);
      return;
    }
    if (panelKind === "image" && panel.dataset.src === image.attrs.src) return;
    const [alt, caption] = openPanel(
      "image",
      t("rich.imageTitle", "The image chosen"),
      [
        { id: "rich-alt", label: t("rich.imageAlt", "Description, for people who cannot see it"), value: String(image.attrs.alt ?? "") },
        { id: "rich-caption", label: t("rich.imageCaption", "Caption (optional)"), value: String(image.attrs.title ?? "") },
      ],
      [
        [
          t("rich.apply", "Apply"),
          () => {
            // Then the caret just after the image: what is typed next goes on, and replaces nothing.
            const after = editor.state.selection.to;
            chain()
              .updateAttributes("image", { alt: alt!.value.trim(), title: caption!.value.trim() || null })
              .setTextSelection(after)
              .run();
            closePanel();
          },
        ],
        ...(host.cover
          ? [
              [
                t("rich.useCover", "Use as the cover"),
                () => {
                  host.cover!.value = String(image.attrs.src);
                  host.cover!.dispatchEvent(new Event("input", { bubbles: true }));
                  host.say(t("rich.coverSet", "This image is now the cover."));
                },
              ] as [string, () => void],
            ]
          : []),
      ],
    );
    panel.dataset.src = String(image.attrs.src);
  }

  keys.link = linkPanel;
  keys.image = () => tools.find((tl) => tl.key === "image")!.run();
  keys.toolbar = () => buttons.find((b) => b.tabIndex === 0)?.focus();
  return { bar, panel };
}
