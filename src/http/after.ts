import type { Context } from "hono";

/**
 * Work that may finish after the answer is sent (waitUntil). Without an execution context (the
 * app called directly, as some tests and the CPU benchmark do) it is awaited before answering.
 */
export async function afterAnswer(c: Context, work: Promise<unknown>): Promise<void> {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    await work;
  }
}
