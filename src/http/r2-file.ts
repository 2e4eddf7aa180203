import { CACHE_POLICY } from "./freshness";

/**
 * A file in R2 answered as browsers fetch it (an image, an export's zip): its ETag, conditional
 * requests (304) and one byte range (206, 416), so a broken download resumes.
 */

/**
 * The one byte range a `Range` header asks of a file of `size` bytes (RFC 9110 §14.1.2): null when
 * it asks none we serve (no header, another unit, several ranges, bad syntax — the whole file is
 * sent), "unsatisfiable" when it starts past the end (416).
 */
export function byteRange(header: string | undefined | null, size: number): { offset: number; length: number } | "unsatisfiable" | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    // The last n bytes.
    const n = Number(m[2]);
    if (n === 0) return "unsatisfiable";
    return { offset: Math.max(0, size - n), length: Math.min(n, size) };
  }
  const first = Number(m[1]);
  if (m[2] !== "" && Number(m[2]) < first) return null;
  if (first >= size) return "unsatisfiable";
  const last = m[2] === "" ? size - 1 : Number(m[2]);
  return { offset: first, length: Math.min(last, size - 1) - first + 1 };
}

/** The object at `key` for `request` (null: there is none), with the headers `headers` adds. */
export async function r2File(request: Request, bucket: R2Bucket, key: string, headers: Record<string, string>): Promise<Response | null> {
  const asked = request.headers.get("Range");
  // A range is checked against the file's size first (R2 would answer a bad one with the whole file as if it were the part).
  const head = asked ? await bucket.head(key) : null;
  const range = head ? byteRange(asked, head.size) : null;
  // A refusal is never cached, whatever the file's own answers may be.
  if (range === "unsatisfiable")
    return new Response(null, {
      status: 416,
      headers: { ...headers, "Content-Range": `bytes */${head!.size}`, "Cache-Control": CACHE_POLICY.never },
    });
  const object = await bucket.get(key, { onlyIf: request.headers, ...(range ? { range } : {}) });
  if (!object) return null;
  const out = new Headers();
  object.writeHttpMetadata(out);
  for (const [name, value] of Object.entries(headers)) out.set(name, value);
  out.set("ETag", object.httpEtag);
  out.set("Accept-Ranges", "bytes");
  if (!("body" in object)) return new Response(null, { status: 304, headers: out });
  out.set("Content-Length", String(range ? range.length : object.size));
  if (range) out.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${object.size}`);
  return new Response(object.body, { status: range ? 206 : 200, headers: out });
}
