/** Builds public/editor/rich.js (or a copy at `to`) from editor/rich.ts; answers its size in bytes, raw and gzipped. */
export function buildEditor(options?: { quiet?: boolean; to?: string }): Promise<{ raw: number; gzip: number }>;
