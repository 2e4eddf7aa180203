/**
 * Images: what counts as one (from its bytes, never its name or declared type), and the content-
 * addressed name it is stored and served under. Shared by the worker (uploads in the editor) and
 * `npm run publish` (images that posts reference from `posts/`).
 */
import { MAX_MEDIA_BYTES } from "./vocabulary";

export const IMAGE_TYPES = {
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
} as const;
export type ImageExt = keyof typeof IMAGE_TYPES;

/** `/media/<name>`: 20 hex digits of the bytes' SHA-256 and the type's extension. */
export const MEDIA_NAME = /^[0-9a-f]{20}\.(?:png|jpg|gif|webp|avif)$/;
export const MEDIA_PATH = "/media/";
/** Where a post's Markdown or cover names an uploaded image. */
export const MEDIA_REFERENCE = /\/media\/([0-9a-f]{20}\.(?:png|jpg|gif|webp|avif))/g;

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** The image type of `bytes`, or null when they are not a PNG, JPEG, GIF, WebP or AVIF image. */
export function sniffImage(bytes: Uint8Array): ImageExt | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0x89 && ascii(bytes, 1, 8) === "PNG\r\n\x1a\n") return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpg";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 4, 8) === "ftyp") {
    // The major brand, or one of the compatible brands of the ftyp box.
    const size = Math.min(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0, bytes.length, 64);
    for (let at = 8; at + 4 <= size; at += 4) if (at !== 12 && /^avi[fs]$/.test(ascii(bytes, at, at + 4))) return "avif";
  }
  return null;
}

const u32 = (b: Uint8Array, at: number, little = false) =>
  little
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
    : ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** Whether an image of this type ends where its format says it does (an upload cut short does not). */
function complete(bytes: Uint8Array, ext: ImageExt): boolean {
  const n = bytes.length;
  switch (ext) {
    case "png":
      return ascii(bytes, n - 8, n - 4) === "IEND";
    case "jpg":
      // The end-of-image marker, allowing a little padding some encoders leave after it.
      for (let i = n - 2; i >= Math.max(2, n - 32); i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
      return false;
    case "gif":
      return bytes[n - 1] === 0x3b;
    case "webp":
      return u32(bytes, 4, true) + 8 <= n;
    case "avif": {
      // The top-level boxes must tile the file.
      let at = 0;
      while (at + 8 <= n) {
        const size = u32(bytes, at);
        if (size === 0) return true;
        if (size < 8) return false;
        at += size;
      }
      return at === n;
    }
  }
}

/** Why `bytes` cannot be stored as an image (null: they can). */
export function imageProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return "The file is empty.";
  if (bytes.length > MAX_MEDIA_BYTES) return `The image is larger than ${MAX_MEDIA_BYTES / 1024 / 1024} MB.`;
  const ext = sniffImage(bytes);
  if (ext) return complete(bytes, ext) ? null : "The image is incomplete: the file is cut short (a broken upload or a damaged file).";
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"))) {
    return "SVG images are not accepted (they can carry scripts): export it as PNG or WebP.";
  }
  return "The file is not a PNG, JPEG, WebP, AVIF or GIF image (checked from its content, not its name).";
}

/** The name an image is stored under: the same bytes always get the same name. */
export async function mediaName(bytes: Uint8Array<ArrayBuffer>, ext: ImageExt): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `${[...digest.subarray(0, 10)].map((b) => b.toString(16).padStart(2, "0")).join("")}.${ext}`;
}

/** The R2 key of a blog's image: every blog's images under its own prefix. */
export const mediaKey = (blog: string, name: string) => `${blog}/${name}`;
/** Every image of a blog starts with this (what deleting a blog lists and removes). */
export const mediaPrefix = (blog: string) => `${blog}/`;

/** The names of the uploaded images a post uses (in its Markdown or as its cover). */
export function mediaUsedBy(post: { markdown: string; cover?: string | null }): Set<string> {
  const out = new Set<string>();
  for (const m of `${post.markdown}\n${post.cover ?? ""}`.matchAll(MEDIA_REFERENCE)) out.add(m[1]!);
  return out;
}
