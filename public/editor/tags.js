// @ts-check
/* Tag completion: the last tag being typed completes from the blog's tags. */

/** @param {import("./context.js").Editor} ed */
export function completeTags({ tags }) {
  var list = document.getElementById("ed-tag-list");
  if (!list) return;
  var tagList = list;
  var known = [...tagList.querySelectorAll("option")].map((o) => o.value);
  tags.addEventListener("input", () => {
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
}
