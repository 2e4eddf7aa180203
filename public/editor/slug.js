// @ts-check
/* The slug follows the title until someone types a slug of their own (new drafts only). */

/** @param {string} text */
export function slugify(text) {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/, "");
}

/** @param {import("./context.js").Editor} ed */
export function followTitle({ editor, title, slug }) {
  var follows = editor.hasAttribute("data-new") && (slug.value === "" || slug.value === slugify(title.value));
  title.addEventListener("input", () => {
    if (follows) slug.value = slugify(title.value);
  });
  slug.addEventListener("input", () => {
    follows = false;
  });
}
