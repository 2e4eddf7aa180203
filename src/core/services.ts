/**
 * One of the federation worker's entrypoints, as the reader calls it (a service binding of
 * wrangler.toml), typed by what the caller says it offers: the work it does stays out of the
 * reader's bundle, so without it that work cannot be done.
 */
export function federationService<T>(env: object, binding: string): T {
  const service = (env as Record<string, unknown>)[binding];
  if (!service) throw new Error(`no ${binding} binding: the federation worker beside the reader does this work (wrangler.toml)`);
  return service as T;
}
