// @ts-check
/* Keeps the dashboard's moderation queue live: listens to the comment threads of the newest
   posts as a signed-in editor (the session cookie goes with the WebSocket), adds comments as they
   are held and drops them once approved, hidden or deleted anywhere. Each held comment is a copy
   of the server's own markup (<template id="held-template">), filled in: text with textContent,
   bodies from the server's escaping renderer. */
(() => {
  var queue = document.getElementById("moderation");
  var template = /** @type {HTMLTemplateElement | null} */ (document.getElementById("held-template"));
  if (!queue || !template || !("WebSocket" in window)) return;
  var list = queue;
  var shell = /** @type {HTMLElement} */ (template.content.firstElementChild);
  var empty = /** @type {HTMLElement | null} */ (document.querySelector(".empty-queue"));
  var slugs = (list.getAttribute("data-slugs") || "").split(" ").filter(Boolean);
  /** @type {Record<string, string>} */
  var titles = JSON.parse(list.getAttribute("data-titles") || "{}");
  // The server's format (src/views/format.ts formatDateTime), in the blog's time zone and the
  // page's language: "December 3, 2026 at 13:41" in English, Intl's long style in the others.
  var locale = list.getAttribute("data-locale") || "en-US";
  var zone = list.getAttribute("data-time-zone") || "UTC";
  var english = locale.indexOf("en") === 0;
  var dateParts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  var local = english ? null : new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: zone, hourCycle: "h23" });
  /** @param {string} iso */
  function when(iso) {
    if (local) return local.format(new Date(iso));
    /** @type {Record<string, string>} */
    var p = {};
    for (var part of dateParts.formatToParts(new Date(iso))) p[part.type] = part.value;
    return p.month + " " + p.day + ", " + p.year + " at " + p.hour + ":" + p.minute;
  }
  var recent = document.getElementById("recent-comments");
  var emptyRecent = /** @type {HTMLElement | null} */ (document.querySelector(".empty-recent"));

  function refresh() {
    if (empty) empty.hidden = list.children.length > 0;
    if (emptyRecent && recent) emptyRecent.hidden = recent.children.length > 0;
  }

  /**
   * @template {Element} T
   * @param {ParentNode} node
   * @param {string} selector
   * @returns {T}
   */
  function find(node, selector) {
    return /** @type {T} */ (node.querySelector(selector));
  }

  /**
   * @param {string} slug
   * @param {import("../src/core/comments").ApiComment} c
   */
  function add(slug, c, held = true) {
    var id = (held ? "held-" : "recent-") + slug + "-" + c.id;
    var into = held ? list : recent;
    if (!into || document.getElementById(id)) return;
    var li = /** @type {HTMLElement} */ (shell.cloneNode(true));
    li.id = id;
    if (!held) /** @type {HTMLElement} */ (find(li, 'button[value="approve"]')).hidden = true;
    find(li, ".held-author").textContent = c.author;
    var link = /** @type {HTMLAnchorElement} */ (find(li, "a"));
    link.href = "/posts/" + slug;
    link.textContent = titles[slug] || slug;
    var time = find(li, "time");
    time.setAttribute("datetime", c.createdAt);
    time.textContent = when(c.createdAt);
    var t = document.createElement("template");
    t.innerHTML = c.html;
    find(li, ".comment-body").appendChild(t.content);
    /** @type {HTMLFormElement} */ (find(li, "form")).action = "/admin/comments/" + slug + "/" + c.id;
    if (held) into.appendChild(li);
    else into.prepend(li);
    refresh();
  }

  /**
   * @param {string} slug
   * @param {number} delay
   */
  function listen(slug, delay) {
    var ws = new WebSocket(
      (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/posts/" + slug + "/comments/live?admin=1",
    );
    ws.onopen = () => {
      list.setAttribute("data-live", "on");
      delay = 1000;
    };
    ws.onmessage = (e) => {
      /** @type {import("../src/core/comments").LiveEvent} */
      var m;
      try {
        m = JSON.parse(e.data);
      } catch (_err) {
        return;
      }
      if (m.type === "comment.held") add(slug, m.comment);
      if (m.type === "comment.created" || m.type === "comment.approved") add(slug, m.comment, false);
      if (m.type === "comment.approved" || m.type === "comment.removed") {
        var gone = document.getElementById("held-" + slug + "-" + m.id);
        if (gone) gone.remove();
      }
      if (m.type === "comment.removed") {
        var hidden = document.getElementById("recent-" + slug + "-" + m.id);
        if (hidden) hidden.remove();
      }
      refresh();
    };
    ws.onclose = () => {
      setTimeout(() => {
        listen(slug, Math.min(delay * 2, 30000));
      }, delay);
    };
  }
  for (var slug of slugs) listen(slug, 1000);
})();
