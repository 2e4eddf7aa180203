import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Log lines as one JSON object each, so Workers Logs indexes their fields (blog, route, code,
 * requestId) and a reader's "Reference" on an error page finds the lines of that request.
 * Lines written while a request is handled carry its id and route without being passed them.
 */

type Level = "info" | "warn" | "error";

interface Trace {
  /** Made on first use: most requests never log or fail, and need no id. */
  id?: string;
  readonly request: Request | null;
  /** What ran, when it was not a request (a cron run, a queue batch). */
  readonly label?: string;
  blog?: string;
}

const traces = new AsyncLocalStorage<Trace>();

/** Runs `handle` as one traced request (or cron run): its log lines and error answers share an id. */
export function traced<T>(request: Request | null, label: string | undefined, handle: () => T): T {
  return traces.run({ request, label }, handle);
}

function route(trace: Trace): string | undefined {
  if (!trace.request) return trace.label;
  return `${trace.request.method} ${new URL(trace.request.url).pathname}`;
}

/** Cloudflare's ray id where there is one (it is also in Cloudflare's own logs), else a new id. */
export function requestId(): string | undefined {
  const trace = traces.getStore();
  if (!trace) return undefined;
  trace.id ??= trace.request?.headers.get("cf-ray") ?? crypto.randomUUID();
  return trace.id;
}

/** Names the blog a traced request turned out to be for (known only after its host is looked up). */
export function traceBlog(blog: string): void {
  const trace = traces.getStore();
  if (trace) trace.blog = blog;
}

export interface LogFields {
  blog?: string;
  code?: string;
  /** An exception: logged with its name, message and stack, never answered. */
  error?: unknown;
  [field: string]: unknown;
}

function describe(error: unknown): unknown {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return typeof error === "object" ? error : String(error);
}

/** The one way this code base writes a log line. */
export function log(level: Level, message: string, fields: LogFields = {}): void {
  const trace = traces.getStore();
  const line: Record<string, unknown> = { level, message };
  if (trace) {
    line.requestId = requestId();
    line.route = route(trace);
    if (trace.blog) line.blog = trace.blog;
  }
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) line[key] = key === "error" ? describe(value) : value;
  }
  let text: string;
  try {
    text = JSON.stringify(line);
  } catch {
    text = JSON.stringify({ level, message, requestId: line.requestId, route: line.route, unserialisable: true });
  }
  if (level === "error") console.error(text);
  else if (level === "warn") console.warn(text);
  else console.log(text);
}
