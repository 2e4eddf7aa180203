// @ts-check
/* The post editor's enhancements; the form works without them (server-side Preview, plain
   fields). Adds: the slug following the title for a new draft, a Markdown toolbar with keyboard
   shortcuts, a live preview rendered by the server's own publishing code (POST /api/preview),
   images uploaded by choosing, dropping or pasting them (POST /api/media), tag completion,
   autosave of the draft in progress in this browser, and a warning before leaving unsaved changes. */
(() => {
  var form = /** @type {HTMLFormElement | null} */ (document.getElementById("editor"));
  if (!form) return;
  var editor = form;
  var csrf = editor.getAttribute("data-csrf") || "";
  var field = (/** @type {string} */ name) => /** @type {HTMLInputElement | HTMLTextAreaElement} */ (editor.elements.namedItem(name));
  var title = field("title");
  var slug = field("slug");
  var markdown = /** @type {HTMLTextAreaElement} */ (field("markdown"));
  var tags = field("tags");
  var cover = field("cover");
  var status = /** @type {HTMLElement} */ (editor.querySelector(".autosave-status"));
  var preview = document.getElementById("preview");
  var previewBody = preview && /** @type {HTMLElement} */ (preview.querySelector(".post-body"));
  var previewTitle = preview && /** @type {HTMLElement} */ (preview.querySelector(".preview-heading"));
  var storageKey = "edge-blog:editor:" + location.host + ":" + (editor.getAttribute("data-slug") || "new");
  var NAMES = ["title", "slug", "date", "updated", "tags", "author", "summary", "cover", "markdown"];

  /** @param {string} text */
  function say(text) {
    status.hidden = false;
    status.textContent = text;
  }

  function values() {
    /** @type {Record<string, string>} */
    var out = {};
    for (var name of NAMES) {
      var f = field(name);
      if (f) out[name] = f.value;
    }
    return out;
  }
  var initial = JSON.stringify(values());
  var submitting = false;
  var dirty = () => JSON.stringify(values()) !== initial;

  // The slug follows the title until someone types a slug of their own (new drafts only).
  /** @param {string} text */
  function slugify(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 100)
      .replace(/-+$/, "");
  }
  var slugFollows = editor.hasAttribute("data-new") && (slug.value === "" || slug.value === slugify(title.value));
  title.addEventListener("input", () => {
    if (slugFollows) slug.value = slugify(title.value);
  });
  slug.addEventListener("input", () => {
    slugFollows = false;
  });

  // Toolbar and shortcuts: each wraps the selection (or a placeholder) in Markdown.
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
    ["B", "Bold (Ctrl+B)", "b", () => wrap("**", "**", "bold text")],
    ["I", "Italic (Ctrl+I)", "i", () => wrap("_", "_", "italic text")],
    ["Link", "Link (Ctrl+K)", "k", () => wrap("[", "](https://)", "link text")],
    ["H", "Heading (Ctrl+H)", "h", () => linePrefix("## ")],
    ["List", "Bulleted list (Ctrl+L)", "l", () => linePrefix("- ")],
    ["Quote", "Quote (Ctrl+Q)", "q", () => linePrefix("> ")],
    ["Code", "Code (Ctrl+E)", "e", () => wrap("`", "`", "code")],
    [
      "Image",
      "Insert an image (Ctrl+G)",
      "g",
      () =>
        chooseImage((url, alt, media) => {
          insertImage(url, alt);
          askAlt(media, alt);
        }),
    ],
  ];
  var bar = document.createElement("div");
  bar.className = "md-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Formatting");
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

  // Live preview, side by side, by the same code that publishes.
  for (var b of editor.querySelectorAll("[data-nojs-only]")) /** @type {HTMLElement} */ (b).hidden = true;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  var previewTimer;
  var previewRun = 0;
  async function renderPreview() {
    if (!preview || !previewBody || !previewTitle) return;
    var run = ++previewRun;
    try {
      var res = await fetch("/api/preview", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ markdown: markdown.value }),
      });
      var data = await res.json();
      if (run !== previewRun) return;
      if (!res.ok) throw new Error(data.error ? data.error.message : "the preview failed");
      preview.hidden = false;
      previewTitle.textContent = title.value;
      // The editor's own Markdown as the publishing code renders it (the same HTML readers get).
      previewBody.innerHTML = data.html;
    } catch (err) {
      say("Preview unavailable: " + (err instanceof Error ? err.message : String(err)));
    }
  }
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(renderPreview, 250);
  }
  markdown.addEventListener("input", schedulePreview);
  title.addEventListener("input", () => {
    if (previewTitle) previewTitle.textContent = title.value;
  });
  renderPreview();

  // Images: upload, then insert the Markdown that shows them.
  /** @param {File} file */
  async function upload(file) {
    say("Uploading " + file.name + "…");
    var res = await fetch("/api/media", {
      method: "POST",
      headers: {
        "Content-Type": file.type || "application/octet-stream",
        "X-CSRF-Token": csrf,
        "X-File-Name": encodeURIComponent(file.name),
      },
      body: file,
    });
    var data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error ? data.error.message : "the upload failed (" + res.status + ")");
    say("Uploaded " + file.name + ".");
    return /** @type {{ url: string, name: string, alt: string | null }} */ (data.media);
  }

  /** @type {HTMLElement | null} */
  var altBox = null;
  /**
   * Asks, beside the status line and without taking the focus from the text, how to describe the
   * image just inserted; the description goes into the Markdown and into the media library,
   * which offers it again whenever this image is inserted.
   * @param {{ url: string, name: string }} media
   * @param {string} alt
   */
  function askAlt(media, alt) {
    if (!altBox) {
      altBox = document.createElement("p");
      altBox.className = "alt-ask";
      status.after(altBox);
    }
    var box = altBox;
    box.hidden = false;
    box.replaceChildren();
    var label = document.createElement("label");
    label.htmlFor = "ed-alt";
    label.textContent = "Describe this image for people who cannot see it (optional):";
    var input = document.createElement("input");
    input.id = "ed-alt";
    input.maxLength = 300;
    input.value = alt;
    var save = document.createElement("button");
    save.type = "button";
    save.className = "small secondary";
    save.textContent = "Save the description";
    var shown = alt;
    save.addEventListener("click", async () => {
      var text = input.value.replace(/[[\]\n]/g, " ").trim();
      var before = "![" + shown + "](" + media.url + ")";
      var at = markdown.value.indexOf(before);
      // Back to the text at once (before the library answers), the description in place.
      box.hidden = true;
      markdown.focus();
      if (at >= 0) {
        markdown.setRangeText("![" + text + "](" + media.url + ")", at, at + before.length, "preserve");
        markdown.dispatchEvent(new Event("input"));
        shown = text;
      }
      var res = await fetch("/api/media/" + media.name, {
        method: "PATCH",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ alt: text }),
      }).catch(() => null);
      say(
        res && res.ok
          ? "Description saved; it is offered whenever you insert this image."
          : "The description is in the post, not in the library.",
      );
    });
    box.append(label, " ", input, " ", save);
  }
  /**
   * @param {string} url
   * @param {string} alt
   */
  function insertImage(url, alt) {
    var at = markdown.selectionStart;
    var end = markdown.selectionEnd;
    // A paragraph of its own, so it becomes a figure (two images in a row stay two figures).
    var head = markdown.value.slice(0, at);
    var before = at === 0 || head.endsWith("\n\n") ? "" : head.endsWith("\n") ? "\n" : "\n\n";
    var tail = markdown.value.slice(end);
    var after = tail.startsWith("\n\n") ? "" : tail.startsWith("\n") ? "\n" : "\n\n";
    markdown.setRangeText(before + "![" + alt.replace(/[[\]]/g, "") + "](" + url + ")" + after, at, end, "end");
    // Back to the text, just after the image: what is typed next goes there (not to the toolbar, nor to the top).
    markdown.focus();
    markdown.dispatchEvent(new Event("input"));
  }
  /** @param {File} file */
  function altOf(file) {
    return file.name.replace(/\.[a-z0-9]+$/i, "").replace(/[-_]+/g, " ") || "image";
  }
  /** @param {FileList | File[]} files */
  async function uploadAll(files) {
    for (var file of files) {
      if (!file.type.startsWith("image/")) {
        say(file.name + " is not an image.");
        continue;
      }
      try {
        var media = await upload(file);
        var alt = media.alt || altOf(file);
        insertImage(media.url, alt);
        askAlt(media, alt);
      } catch (err) {
        say("Could not upload " + file.name + ": " + (err instanceof Error ? err.message : String(err)));
      }
    }
  }
  /** @param {(url: string, alt: string, media: { url: string, name: string }) => void} then */
  function chooseImage(then) {
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "image/png,image/jpeg,image/webp,image/avif,image/gif";
    input.addEventListener("change", async () => {
      var file = input.files && input.files[0];
      if (!file) return;
      try {
        var media = await upload(file);
        var alt = media.alt || altOf(file);
        then(media.url, alt, media);
      } catch (err) {
        say("Could not upload " + file.name + ": " + (err instanceof Error ? err.message : String(err)));
      }
    });
    input.click();
  }
  markdown.addEventListener("paste", (e) => {
    var files = e.clipboardData ? [...e.clipboardData.files] : [];
    if (!files.length) return;
    e.preventDefault();
    uploadAll(files);
  });
  markdown.addEventListener("dragover", (e) => {
    if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) e.preventDefault();
  });
  markdown.addEventListener("drop", (e) => {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    uploadAll(e.dataTransfer.files);
  });
  if (cover) {
    var coverButton = document.createElement("button");
    coverButton.type = "button";
    coverButton.className = "small secondary";
    coverButton.textContent = "Upload a cover…";
    coverButton.addEventListener("click", () =>
      chooseImage((url) => {
        cover.value = url;
        cover.dispatchEvent(new Event("input"));
      }),
    );
    cover.after(coverButton);
  }

  // Tag completion: the last tag being typed completes from the blog's tags.
  var tagList = document.getElementById("ed-tag-list");
  var known = tagList ? [...tagList.querySelectorAll("option")].map((o) => o.value) : [];
  tags.addEventListener("input", () => {
    if (!tagList) return;
    var parts = tags.value.split(",");
    var typing = (parts.pop() || "").trim().toLowerCase();
    var chosen = parts.map((p) => p.trim()).filter(Boolean);
    var prefix = chosen.length ? chosen.join(", ") + ", " : "";
    tagList.replaceChildren(
      ...known
        .filter((t) => !chosen.includes(t) && t.toLowerCase().startsWith(typing))
        .map((t) => {
          var option = document.createElement("option");
          option.value = prefix + t;
          return option;
        }),
    );
  });

  // Autosave in this browser, and a way back to it after a crash or a closed tab.
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  var saveTimer;
  editor.addEventListener("input", () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      try {
        localStorage.setItem(storageKey, JSON.stringify({ at: new Date().toISOString(), values: values(), base: initial }));
        say("Unsaved changes kept in this browser at " + new Date().toLocaleTimeString() + ".");
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
      note.textContent = "This browser kept unsaved changes from " + new Date(kept.at).toLocaleString() + ". ";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "small";
      restore.textContent = "Restore them";
      restore.addEventListener("click", () => {
        for (var name of NAMES) {
          var f = field(name);
          if (f && typeof kept.values[name] === "string" && !(name === "slug" && f.readOnly)) f.value = kept.values[name];
        }
        note.remove();
        renderPreview();
      });
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "small secondary";
      discard.textContent = "Discard";
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
    if (submitting || !dirty()) return;
    e.preventDefault();
    e.returnValue = "";
  });
})();
