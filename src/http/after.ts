import type { Context } from "hono";

/**
 * Work that may finish after the answer is sent (waitUntil). Without an execution context (the
 * app called directly, as some tests and the CPU benchmark do) it is awaited before answering.
 */
export async function afterAnswer(c: Context, work: Promise<unknown>): Promise<void> {
  let ctx: { waitUntil(work: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined;
  }
  await afterAnswerIn(ctx, work);
}

/** afterAnswer() where there is no context yet, only the execution context the worker was given. */
export async function afterAnswerIn(ctx: { waitUntil(work: Promise<unknown>): void } | undefined, work: Promise<unknown>): Promise<void> {
  if (ctx) ctx.waitUntil(work);
  else await work;
}
