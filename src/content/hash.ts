/** FNV-1a (32 bits) of a text's UTF-16 code units: the same number in Node and workerd, for stable key choices. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * An HTTP validator of an answer, from its text (UTF-16 code units) or its bytes: two 32-bit FNV-1a
 * hashes (distinct offsets) and the length, as hex. Not a secret; synchronous, so cheap enough for
 * every answer (WebCrypto's SHA-1 through a cloned stream was a third of a page's CPU).
 */
export function contentValidator(content: string | Uint8Array): string {
  const text = typeof content === "string";
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < content.length; i++) {
    const x = text ? (content as string).charCodeAt(i) : (content as Uint8Array)[i]!;
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x01000193) ^ (b >>> 13);
  }
  return `${(a >>> 0).toString(16).padStart(8, "0")}${(b >>> 0).toString(16).padStart(8, "0")}${content.length.toString(16)}`;
}
