// @ts-check
/* Images: uploaded by choosing, dropping or pasting them (POST /api/media), then inserted as a
   paragraph of their own, with their description asked for beside the status line. */

import { t } from "./context.js";

/** @typedef {{ url: string, name: string, alt: string | null }} Media */

/** @param {File} file */
function altOf(file) {
  return file.name.replace(/\.[a-z0-9]+$/i, "").replace(/[-_]+/g, " ") || "image";
}

/** @param {import("./context.js").Editor} ed */
export function images({ csrf, markdown, status, say }) {
  /** @param {File} file */
  async function upload(file) {
    say(t("uploading", "Uploading {name}…", { name: file.name }));
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
    say(t("uploaded", "Uploaded {name}.", { name: file.name }));
    return /** @type {Media} */ (data.media);
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
    label.textContent = t("altLabel", "Describe this image for people who cannot see it (optional):");
    var input = document.createElement("input");
    input.id = "ed-alt";
    input.maxLength = 300;
    input.value = alt;
    var save = document.createElement("button");
    save.type = "button";
    save.className = "small secondary";
    save.textContent = t("altSave", "Save the description");
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
          ? t("altSaved", "Description saved; it is offered whenever you insert this image.")
          : t("altInPost", "The description is in the post, not in the library."),
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

  /** @param {File} file @param {unknown} err */
  function failed(file, err) {
    say(
      t("uploadFailed", "Could not upload {name}: {error}", { name: file.name, error: err instanceof Error ? err.message : String(err) }),
    );
  }

  /**
   * Uploads the images among `files` one after the other, handing each over with its description
   * (the library's, else its file name's words); says which file is no image or failed.
   * @param {FileList | File[]} files
   * @param {(media: Media, alt: string) => void} then
   */
  async function uploadEach(files, then) {
    for (var file of files) {
      if (!file.type.startsWith("image/")) {
        say(t("notImage", "{name} is not an image.", { name: file.name }));
        continue;
      }
      try {
        var media = await upload(file);
        then(media, media.alt || altOf(file));
      } catch (err) {
        failed(file, err);
      }
    }
  }

  /** @param {FileList | File[]} files */
  function uploadAll(files) {
    return uploadEach(files, (media, alt) => {
      insertImage(media.url, alt);
      askAlt(media, alt);
    });
  }

  /** @param {(url: string, alt: string, media: Media) => void} then */
  function chooseImage(then) {
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "image/png,image/jpeg,image/webp,image/avif,image/gif";
    input.addEventListener("change", async () => {
      var file = input.files && input.files[0];
      if (!file) return;
      try {
        var media = await upload(file);
        then(media.url, media.alt || altOf(file), media);
      } catch (err) {
        failed(file, err);
      }
    });
    input.click();
  }

  /** Chooses an image, inserts it where the cursor is, and asks for its description. */
  function insertChosen() {
    chooseImage((url, alt, media) => {
      insertImage(url, alt);
      askAlt(media, alt);
    });
  }

  return { uploadEach, uploadAll, chooseImage, insertChosen };
}

/**
 * Pasting or dropping images into the text uploads and inserts them; the cover gets an upload button.
 * @param {import("./context.js").Editor} ed
 * @param {ReturnType<typeof images>} img
 */
export function acceptImages({ markdown, cover }, img) {
  markdown.addEventListener("paste", (e) => {
    var files = e.clipboardData ? [...e.clipboardData.files] : [];
    if (!files.length) return;
    e.preventDefault();
    img.uploadAll(files);
  });
  markdown.addEventListener("dragover", (e) => {
    if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) e.preventDefault();
  });
  markdown.addEventListener("drop", (e) => {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    img.uploadAll(e.dataTransfer.files);
  });
  if (cover) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small secondary";
    button.textContent = t("uploadCover", "Upload a cover…");
    button.addEventListener("click", () =>
      img.chooseImage((url) => {
        cover.value = url;
        cover.dispatchEvent(new Event("input"));
      }),
    );
    cover.after(button);
  }
}
