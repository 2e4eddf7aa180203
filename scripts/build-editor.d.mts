/** Builds public/editor/rich.js from editor/rich.ts; answers its size in bytes, raw and gzipped. */
export function buildEditor(options?: { quiet?: boolean }): Promise<{ raw: number; gzip: number }>;
