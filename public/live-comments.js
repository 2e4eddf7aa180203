// @ts-check
/* Live comments: progressive enhancement for the post page. Listens on the post's WebSocket and
   inserts, updates or removes comments without a reload. Each new comment is a copy of the
   server's own markup (<template id="comment-template">), filled in: author names with
   textContent, bodies from the server's escaping renderer. No framework, no dependencies. */
(() => {
  var section = document.getElementById("comments");
  var list = section && section.querySelector(".comment-list");
  var template = /** @type {HTMLTemplateElement | null} */ (document.getElementById("comment-template"));
  if (!section || !list || !template || !("WebSocket" in window)) return;
  var root = section;
  var top = list;
  var shell = /** @type {HTMLElement} */ (template.content.firstElementChild);
  var slug = root.getAttribute("data-slug");
  var counter = root.querySelector(".comment-count");
  var tz = root.getAttribute("data-tz") || "UTC";
  // The blog's language's words, when it is not English (the server writes them: views/components/comments.tsx).
  /** @type {{ locale: string, none: string, count: Record<string, string>, edit: string, removed: string } | null} */
  var words = null;
  try {
    words = JSON.parse(root.getAttribute("data-words") || "null");
  } catch (_) {
    words = null;
  }
  var delay = 1000;
  // Signed-in moderators listen as such: they also get held comments, with Approve.
  var moderating = root.getAttribute("data-moderate") === "1";

  /** @param {string} iso */
  function when(iso) {
    var d = new Date(iso);
    if (words) {
      return new Intl.DateTimeFormat(words.locale, { dateStyle: "long", timeStyle: "short", timeZone: tz, hourCycle: "h23" }).format(d);
    }
    var date = d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: tz });
    var time = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: tz });
    return date + " at " + time;
  }

  /** @param {string} html the server-rendered (escaped) comment body */
  function bodyOf(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    var body = document.createElement("div");
    body.className = "comment-body";
    body.appendChild(t.content);
    return body;
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

  /** @param {import("../src/core/comments").ApiComment} c */
  function build(c) {
    var li = /** @type {HTMLElement} */ (shell.cloneNode(true));
    li.id = "comment-" + c.id;
    li.setAttribute("data-id", String(c.id));
    find(li, ".comment-author").textContent = c.author;
    /** @type {HTMLAnchorElement} */ (find(li, ".comment-time")).href = "#comment-" + c.id;
    var time = find(li, "time");
    time.setAttribute("datetime", c.createdAt);
    time.textContent = when(c.createdAt);
    if (!c.editedAt) find(li, ".comment-edited").remove();
    find(li, ".comment-body").replaceWith(bodyOf(c.html));
    var reply = /** @type {HTMLAnchorElement} */ (find(li, ".reply"));
    reply.href = "/posts/" + slug + "?replyto=" + c.id + "#comment-form";
    reply.setAttribute("data-reply", String(c.id));
    var form = /** @type {HTMLFormElement | null} */ (li.querySelector(".moderation-form"));
    if (form) form.action = "/admin/comments/" + slug + "/" + c.id;
    return li;
  }

  /**
   * Marks a comment as waiting for moderation (Approve shown) or published (Approve hidden).
   * @param {Element} li
   * @param {boolean} held
   */
  function setHeld(li, held) {
    li.classList.toggle("comment-held", held);
    var waiting = /** @type {HTMLElement | null} */ (li.querySelector(":scope > article .comment-waiting"));
    if (waiting) waiting.hidden = !held;
    var approve = /** @type {HTMLElement | null} */ (li.querySelector(':scope > article button[value="approve"]'));
    if (approve) approve.hidden = !held;
  }

  /** This browser's comments still open to editing: id → the time its edit token runs out. */
  function editable() {
    /** @type {Map<string, number>} */
    var out = new Map();
    var match = document.cookie.match(/(?:^|;\s*)comment-edits=([^;]*)/);
    if (!match) return out;
    for (var entry of decodeURIComponent(match[1] || "").split("~")) {
      var parts = entry.split(":");
      var until = Number((parts[1] || "").split(".")[1]);
      if (parts[0] && until > Date.now()) out.set(parts[0], until);
    }
    return out;
  }

  /** Adds "Edit" to this browser's own comments while their 15 minutes last. */
  function editLinks() {
    editable().forEach((until, id) => {
      var li = document.getElementById("comment-" + id);
      var footer = li && li.querySelector(":scope > article footer");
      if (!footer || footer.querySelector(".edit-own")) return;
      var link = document.createElement("a");
      link.className = "edit-own";
      link.href = "/posts/" + slug + "/comments/" + id + "/edit";
      link.textContent = words ? words.edit : "Edit";
      footer.appendChild(document.createTextNode(" "));
      footer.appendChild(link);
      setTimeout(() => link.remove(), until - Date.now());
    });
  }

  /** @param {import("../src/core/comments").ApiComment} c */
  function place(c) {
    if (document.getElementById("comment-" + c.id)) return;
    /** @type {Element} */
    var target = top;
    var parent = c.parentId ? document.getElementById("comment-" + c.parentId) : null;
    // Replies nest three levels deep; a reply to the third level joins that level's list.
    if (parent) target = parent.querySelector(":scope > .replies") || parent.parentElement || top;
    var depth = Number(target.getAttribute("data-depth") || 0);
    var li = build(c);
    var replies = find(li, ".replies");
    if (depth + 1 < 3) replies.setAttribute("data-depth", String(depth + 1));
    else replies.remove();
    target.appendChild(li);
  }

  /** @param {number | undefined} n */
  function count(n) {
    if (!counter || typeof n !== "number") return;
    if (words) {
      // One form per plural category of the language (views/components/comments.tsx sends them all).
      var form = words.count[new Intl.PluralRules(words.locale).select(n)] || words.count.other;
      counter.textContent = n === 0 ? words.none : form.replace("{n}", new Intl.NumberFormat(words.locale).format(n));
    } else counter.textContent = n === 0 ? "No comments yet." : n.toLocaleString("en-US") + (n === 1 ? " comment" : " comments");
  }

  /** The thread's version this page shows (-1: not known yet). */
  var seen = -1;

  /**
   * The thread changed in a way no event describes one by one (a restore from a backup, or
   * events missed while the connection was down): its list and count as the post page has them now.
   * The version in the query keeps the page caches out of it (they hold the page by the version KV
   * had, which follows the thread a moment later).
   * @param {number} version
   */
  function refresh(version) {
    fetch(location.pathname + "?thread=" + version, { credentials: "same-origin" })
      .then((res) => (res.ok ? res.text() : ""))
      .then((html) => {
        var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("comments");
        var freshList = fresh && fresh.querySelector(".comment-list");
        if (!fresh || !freshList) return;
        top.replaceChildren(...Array.from(freshList.childNodes, (n) => document.importNode(n, true)));
        var freshCount = fresh.querySelector(".comment-count");
        if (counter && freshCount) counter.textContent = freshCount.textContent;
        editLinks();
      })
      .catch(() => {});
  }

  /** @param {import("../src/core/comments").LiveEvent} m */
  function handle(m) {
    if (m.type === "hello") {
      // Greeted again with another version than the last one seen: something was missed.
      if (seen >= 0 && m.version !== seen) refresh(m.version);
      seen = m.version;
      return;
    }
    if ("version" in m && typeof m.version === "number") seen = m.version;
    if (m.type === "comment.created" || m.type === "comment.approved") {
      place(m.comment);
      var shown = document.getElementById("comment-" + m.comment.id);
      if (shown) setHeld(shown, false);
    }
    if (m.type === "comment.held" && moderating) {
      place(m.comment);
      var waiting = document.getElementById("comment-" + m.comment.id);
      if (waiting) setHeld(waiting, true);
    }
    if (m.type === "comment.edited") {
      var old = document.getElementById("comment-" + m.comment.id);
      if (old) {
        find(old, ":scope > article .comment-body").replaceWith(bodyOf(m.comment.html));
        var header = find(old, ":scope > article header");
        if (!header.querySelector(".comment-edited")) {
          var mark = document.createElement("span");
          mark.className = "comment-edited";
          mark.textContent = " (edited)";
          find(header, ".comment-time").after(mark);
        }
      }
    }
    if (m.type === "comment.removed") {
      var gone = document.getElementById("comment-" + m.id);
      if (gone) {
        var kids = gone.querySelector(":scope > .replies");
        if (kids && kids.children.length)
          find(gone, ":scope > article .comment-body").textContent = words ? words.removed : "This comment was removed.";
        else gone.remove();
      }
    }
    if (m.type !== "comment.held") count(m.count);
  }

  function connect() {
    var ws = new WebSocket(
      (location.protocol === "https:" ? "wss://" : "ws://") +
        location.host +
        "/api/posts/" +
        slug +
        "/comments/live" +
        (moderating ? "?admin=1" : ""),
    );
    ws.onopen = () => {
      delay = 1000;
      root.setAttribute("data-live", "on");
    };
    ws.onmessage = (e) => {
      /** @type {import("../src/core/comments").LiveEvent} */
      var m;
      try {
        m = JSON.parse(e.data);
      } catch (_err) {
        return;
      }
      handle(m);
    };
    ws.onclose = () => {
      root.setAttribute("data-live", "off");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  editLinks();
  rememberedName();
  connect();

  /** Offers the name this browser last commented under (the server sets the cookie; a cached page cannot). */
  function rememberedName() {
    var input = /** @type {HTMLInputElement | null} */ (document.getElementById("comment-author"));
    var match = document.cookie.match(/(?:^|;\s*)comment-name=([^;]*)/);
    if (!input || input.value || !match) return;
    try {
      input.value = decodeURIComponent(match[1] || "");
    } catch (_err) {
      /* a cookie that is not ours */
    }
  }
})();
