/* Keeps the dashboard's moderation queue live: listens to the comment threads of the newest
   posts as a signed-in editor (the session cookie goes with the WebSocket), adds comments as they
   are held and drops them once approved, hidden or deleted anywhere. Text goes in with
   textContent; comment bodies come from the server's escaping renderer. */
(function () {
  var queue = document.getElementById("moderation");
  if (!queue || !("WebSocket" in window)) return;
  var csrf = queue.getAttribute("data-csrf");
  var empty = document.querySelector(".empty-queue");
  var slugs = (queue.getAttribute("data-slugs") || "").split(" ").filter(Boolean);

  function refresh() {
    if (empty) empty.hidden = queue.children.length > 0;
  }

  function add(slug, c) {
    if (document.getElementById("held-" + slug + "-" + c.id)) return;
    var li = document.createElement("li");
    li.id = "held-" + slug + "-" + c.id;
    var p = document.createElement("p");
    var who = document.createElement("strong");
    who.textContent = c.author;
    var link = document.createElement("a");
    link.href = "/posts/" + slug;
    link.textContent = slug;
    p.appendChild(who);
    p.appendChild(document.createTextNode(" on "));
    p.appendChild(link);
    var body = document.createElement("div");
    body.className = "comment-body";
    var t = document.createElement("template");
    t.innerHTML = c.html;
    body.appendChild(t.content);
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/admin/comments/" + slug + "/" + c.id;
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf";
    token.value = csrf;
    form.appendChild(token);
    ["approve", "hide", "delete"].forEach(function (action) {
      var b = document.createElement("button");
      b.type = "submit";
      b.name = "action";
      b.value = action;
      b.textContent = action.charAt(0).toUpperCase() + action.slice(1);
      form.appendChild(b);
      form.appendChild(document.createTextNode(" "));
    });
    li.appendChild(p);
    li.appendChild(body);
    li.appendChild(form);
    queue.appendChild(li);
    refresh();
  }

  function listen(slug, delay) {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/posts/" + slug + "/comments/live?admin=1");
    ws.onopen = function () { queue.setAttribute("data-live", "on"); delay = 1000; };
    ws.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.type === "comment.held" && m.comment) add(slug, m.comment);
      if (m.type === "comment.approved" || m.type === "comment.removed") {
        var gone = document.getElementById("held-" + slug + "-" + m.id);
        if (gone) { gone.remove(); refresh(); }
      }
    };
    ws.onclose = function () { setTimeout(function () { listen(slug, Math.min(delay * 2, 30000)); }, delay); };
  }
  slugs.forEach(function (slug) { listen(slug, 1000); });
})();
