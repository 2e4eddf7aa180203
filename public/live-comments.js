/* Live comments: progressive enhancement for the post page. Listens on the post's WebSocket and
   inserts, updates or removes comments without a reload. Author names go in with textContent;
   comment bodies come from the server's escaping renderer. No framework, no dependencies. */
(function () {
  var section = document.getElementById("comments");
  var list = section && section.querySelector(".comment-list");
  if (!section || !list || !("WebSocket" in window)) return;
  var slug = section.getAttribute("data-slug");
  var counter = section.querySelector(".comment-count");
  var tz = section.getAttribute("data-tz") || "UTC";
  var delay = 1000;

  function when(iso) {
    var d = new Date(iso);
    var date = d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: tz });
    var time = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: tz });
    return date + " at " + time;
  }

  function build(c) {
    var li = document.createElement("li");
    li.className = "comment comment-new";
    li.id = "comment-" + c.id;
    li.setAttribute("data-id", String(c.id));
    var article = document.createElement("article");
    var header = document.createElement("header");
    var author = document.createElement("span");
    author.className = "comment-author";
    author.textContent = c.author;
    var link = document.createElement("a");
    link.className = "comment-time";
    link.href = "#comment-" + c.id;
    var time = document.createElement("time");
    time.setAttribute("datetime", c.createdAt);
    time.textContent = when(c.createdAt);
    link.appendChild(time);
    header.appendChild(author);
    header.appendChild(document.createTextNode(" "));
    header.appendChild(link);
    var body = document.createElement("div");
    body.className = "comment-body";
    var t = document.createElement("template");
    t.innerHTML = c.html;
    body.appendChild(t.content);
    var footer = document.createElement("footer");
    var reply = document.createElement("a");
    reply.className = "reply";
    reply.href = "/posts/" + slug + "?replyto=" + c.id + "#comment-form";
    reply.textContent = "Reply";
    footer.appendChild(reply);
    article.appendChild(header);
    article.appendChild(body);
    article.appendChild(footer);
    li.appendChild(article);
    var replies = document.createElement("ol");
    replies.className = "replies";
    li.appendChild(replies);
    return li;
  }

  function place(c) {
    if (document.getElementById("comment-" + c.id)) return;
    var target = list;
    var parent = c.parentId && document.getElementById("comment-" + c.parentId);
    // Replies nest three levels deep; a reply to the third level joins that level's list.
    if (parent) target = parent.querySelector(":scope > .replies") || parent.parentElement;
    var depth = Number(target.getAttribute("data-depth") || 0);
    var li = build(c);
    var replies = li.querySelector(".replies");
    if (depth + 1 < 3) replies.setAttribute("data-depth", String(depth + 1));
    else replies.remove();
    target.appendChild(li);
  }

  function count(n) {
    if (counter && typeof n === "number") counter.textContent = n === 0 ? "No comments yet." : n + (n === 1 ? " comment" : " comments");
  }

  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/posts/" + slug + "/comments/live");
    ws.onopen = function () { delay = 1000; section.setAttribute("data-live", "on"); };
    ws.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if ((m.type === "comment.created" || m.type === "comment.approved") && m.comment) place(m.comment);
      if (m.type === "comment.edited" && m.comment) {
        var old = document.getElementById("comment-" + m.comment.id);
        if (old) {
          var fresh = build(m.comment).querySelector(".comment-body");
          old.querySelector(".comment-body").replaceWith(fresh);
        }
      }
      if (m.type === "comment.removed") {
        var gone = document.getElementById("comment-" + m.id);
        if (gone) {
          var kids = gone.querySelector(":scope > .replies");
          if (kids && kids.children.length) gone.querySelector(":scope > article .comment-body").textContent = "This comment was removed.";
          else gone.remove();
        }
      }
      count(m.count);
    };
    ws.onclose = function () {
      section.setAttribute("data-live", "off");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
