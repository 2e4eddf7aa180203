/** FNV-1a (32 bits) of a text's UTF-16 code units: the same number in Node and workerd, for stable key choices. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
