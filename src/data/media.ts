import { IMAGE_TYPES, type ImageExt, imageProblem, mediaKey, mediaName, mediaPrefix, sniffImage } from "../core/media";
import { AppError } from "../errors";

export interface MediaItem {
  name: string;
  url: string;
  type: string;
  size: number;
  uploadedAt: string;
  /** The file's name when it was uploaded (shown in the library only). */
  originalName: string | null;
  /** Its description for people who cannot see it, as last given (offered again when it is inserted). */
  alt: string | null;
}

/** The longest description an image keeps. */
export const MAX_ALT = 300;

const item = (blog: string, o: R2Object): MediaItem => ({
  name: o.key.slice(blog.length + 1),
  url: `/media/${o.key.slice(blog.length + 1)}`,
  type: o.httpMetadata?.contentType ?? "application/octet-stream",
  size: o.size,
  uploadedAt: o.customMetadata?.uploadedAt ?? o.uploaded.toISOString(),
  originalName: o.customMetadata?.originalName ?? null,
  alt: o.customMetadata?.alt ?? null,
});

/**
 * Stores an image under the blog's prefix with a content hash in its name, after checking from its
 * bytes that it is one. The same bytes uploaded twice are stored once.
 */
export async function putImage(
  bucket: R2Bucket,
  blog: string,
  bytes: Uint8Array<ArrayBuffer>,
  originalName: string | null,
  now: Date,
): Promise<{ media: MediaItem; created: boolean }> {
  const problem = imageProblem(bytes);
  if (problem) throw new AppError(bytes.length > 0 && problem.includes("larger") ? "payload_too_large" : "invalid_media", problem);
  const ext = sniffImage(bytes) as ImageExt;
  const name = await mediaName(bytes, ext);
  const key = mediaKey(blog, name);
  const existing = await bucket.head(key);
  if (existing) return { media: item(blog, existing), created: false };
  const stored = await bucket.put(key, bytes, {
    httpMetadata: { contentType: IMAGE_TYPES[ext] },
    customMetadata: { uploadedAt: now.toISOString(), ...(originalName ? { originalName: originalName.slice(0, 200) } : {}) },
  });
  return { media: item(blog, stored), created: true };
}

/** A blog's images, newest first (every page of the bucket's listing under its prefix). */
export async function listImages(bucket: R2Bucket, blog: string): Promise<MediaItem[]> {
  const out: MediaItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: mediaPrefix(blog), cursor, include: ["httpMetadata", "customMetadata"] });
    out.push(...page.objects.map((o) => item(blog, o)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out.sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
}

export const deleteImage = (bucket: R2Bucket, blog: string, name: string) => bucket.delete(mediaKey(blog, name));

/**
 * Keeps an image's description (empty: none). R2 cannot change an object's metadata in place, so
 * the image is written again under the same name, with the same bytes and type.
 */
export async function describeImage(bucket: R2Bucket, blog: string, name: string, alt: string): Promise<MediaItem> {
  const key = mediaKey(blog, name);
  const object = await bucket.get(key);
  if (!object) throw new AppError("not_found", "There is no such image.");
  const { alt: _old, ...rest } = object.customMetadata ?? {};
  const text = alt.trim().slice(0, MAX_ALT);
  const stored = await bucket.put(key, await object.arrayBuffer(), {
    httpMetadata: object.httpMetadata,
    customMetadata: { ...rest, ...(text ? { alt: text } : {}) },
  });
  return item(blog, stored);
}
