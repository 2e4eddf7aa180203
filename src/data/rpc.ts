import type { DurableObject } from "cloudflare:workers";
import { AppError, type Failure } from "../errors";
import { log } from "../core/log";

/** A Durable Object's RPC methods as the worker calls them: each awaited, a `Failure` thrown as an AppError. */
export type Client<T> = {
  [K in Exclude<keyof T, keyof DurableObject>]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Exclude<Awaited<R>, Failure>>
    : never;
};

const isFailure = (v: unknown): v is Failure => !!v && typeof v === "object" && (v as { ok?: unknown }).ok === false && "code" in v;

/** Runs one call; a failure or a hang becomes a 503 with Retry-After, never a 500. */
export async function guarded<R>(what: string, call: Promise<R>, timeoutMs: number): Promise<R> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call, timeout]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    log("error", "a Durable Object call failed", { code: "unavailable", call: what, error: err });
    throw new AppError("unavailable", `Temporarily unavailable (${what} could not be reached). Please try again in a minute.`, 30);
  } finally {
    clearTimeout(timer);
  }
}

let recording: string[] | null = null;

/** For tests and the note's figures: the Durable Object calls made while `run` runs, as "what.method". */
export async function recordCalls(run: () => Promise<unknown>): Promise<string[]> {
  const calls: string[] = [];
  recording = calls;
  try {
    await run();
  } finally {
    recording = null;
  }
  return calls;
}

/**
 * A typed client for a Durable Object stub: every method call gets the timeout once, here,
 * and a `{ok: false, code}` answer becomes an AppError with that code.
 */
export function rpcClient<T>(stub: unknown, what: string, timeoutMs: number): Client<T> {
  const target = stub as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return new Proxy({} as Client<T>, {
    get(_, name: string) {
      // Not a promise: a client answered by an async function (or awaited) is the client itself.
      if (name === "then") return undefined;
      return async (...args: unknown[]) => {
        recording?.push(`${what}.${name}`);
        const result = await guarded(what, Promise.resolve(target[name]!(...args)), timeoutMs);
        if (isFailure(result)) throw AppError.from(result);
        return result;
      };
    },
  });
}
