/**
 * The `v1:edited` key: posts saved or deleted in the browser or through the API since the last
 * `npm run publish`, which refuses to overwrite them and which `npm run pull` brings into posts/.
 */
export type EditLog = Record<string, { at: string; deleted: boolean }>;

/** The log from its KV text; a missing or damaged value is an empty log. */
export function parseEditLog(text: string | null | undefined): EditLog {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    const out: EditLog = {};
    for (const [slug, entry] of Object.entries(value as Record<string, { at?: unknown; deleted?: unknown }>)) {
      if (entry && typeof entry.at === "string") out[slug] = { at: entry.at, deleted: entry.deleted === true };
    }
    return out;
  } catch {
    return {};
  }
}
