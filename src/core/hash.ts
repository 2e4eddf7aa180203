/** FNV-1a (32 bits) of a text's UTF-16 code units: the same number in Node and workerd, for stable key choices. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * An HTTP validator of an answer, from its text (UTF-16 code units) or its bytes: two 32-bit
 * FNV-1a-style hashes (distinct offsets) and the length, as hex. Bytes are taken four at a time
 * (an answer is encoded once anyway, and a quarter of the steps is what makes it cheap enough for
 * every page). Not a secret; synchronous (WebCrypto's SHA-1 through a cloned stream was a third
 * of a page's CPU).
 */
export function contentValidator(content: string | Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  if (typeof content === "string") {
    for (let i = 0; i < content.length; i++) {
      const x = content.charCodeAt(i);
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x01000193) ^ (b >>> 13);
    }
  } else {
    const words = content.byteOffset % 4 === 0 ? content.length >>> 2 : 0;
    const view = new Uint32Array(content.buffer, content.byteOffset, words);
    for (let i = 0; i < words; i++) {
      const x = view[i]!;
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x01000193) ^ (b >>> 13);
    }
    for (let i = words * 4; i < content.length; i++) {
      const x = content[i]!;
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x01000193) ^ (b >>> 13);
    }
  }
  return `${(a >>> 0).toString(16).padStart(8, "0")}${(b >>> 0).toString(16).padStart(8, "0")}${content.length.toString(16)}`;
}
