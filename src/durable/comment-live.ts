import type { LiveEvent } from "../core/comments";
import { ADMIN_LISTENER_HEADER, LISTENER_BUCKET_HEADER, LIVE_PER_ADDRESS, LIVE_PER_POST } from "../core/vocabulary";

/**
 * A thread's live listeners: hibernatable WebSockets the thread tells of every change (the post
 * page's live comments, the moderation queue). Tagged by the listener's address bucket, so one
 * address cannot hold every socket of a post, and `ADMIN` for signed-in editors.
 */

/** The tag of signed-in editors' listeners: they alone hear of held comments. */
export const ADMIN = "admin";

/** Tells every listener (or those with `tag`) of an event; one that went away is skipped. */
export function broadcast(ctx: DurableObjectState, event: LiveEvent, tag?: string): void {
  const message = JSON.stringify(event);
  for (const ws of ctx.getWebSockets(tag)) {
    try {
      ws.send(message);
    } catch {
      /* a listener that went away */
    }
  }
}

/** Upgrades a listener's request (at most LIVE_PER_ADDRESS per address, LIVE_PER_POST in all) and greets it with `hello`. */
export function acceptListener(ctx: DurableObjectState, request: Request, hello: () => LiveEvent): Response {
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
  const bucket = `ip:${(request.headers.get(LISTENER_BUCKET_HEADER) ?? "").slice(0, 200)}`;
  if (ctx.getWebSockets(bucket).length >= LIVE_PER_ADDRESS || ctx.getWebSockets().length >= LIVE_PER_POST) {
    return new Response("Too many live connections", { status: 429 });
  }
  const pair = new WebSocketPair();
  const [client, server] = Object.values(pair) as [WebSocket, WebSocket];
  // The worker sets the admin header only for a signed-in editor, and strips it from everyone else.
  ctx.acceptWebSocket(server, request.headers.get(ADMIN_LISTENER_HEADER) === "1" ? [ADMIN, bucket] : [bucket]);
  server.serializeAttachment({ since: Date.now() });
  server.send(JSON.stringify(hello()));
  return new Response(null, { status: 101, webSocket: client });
}

/** Keeps a listener's connection alive through proxies that close idle ones. */
export function answerPing(ws: WebSocket, message: string | ArrayBuffer): void {
  if (message === "ping") ws.send("pong");
}

/** Answers a listener's close (1005/1006 carry no code that may be sent back). */
export function closeBack(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
  } catch {
    /* already closed */
  }
}

/** Sends every listener away (the thread is being deleted). */
export function closeAll(ctx: DurableObjectState, reason: string): void {
  for (const ws of ctx.getWebSockets()) {
    try {
      ws.close(1001, reason);
    } catch {
      /* already gone */
    }
  }
}
