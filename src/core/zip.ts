/**
 * The pieces of a zip file (PKWARE APPNOTE 6.3.x, section 4.3), written in order by a caller that
 * may stop between any two of them: local headers and data as it goes, the central directory from
 * the entries it noted, then the end record. Entries are stored (method 0), names in UTF-8 (flag
 * bit 11). An entry whose size and CRC are not known when it starts (it spans several steps) sets
 * flag bit 3 and is followed by a data descriptor. No zip64: an archive stops at 65,535 entries
 * and 4 GiB, which the caller checks (`ZIP_LIMITS`).
 */

export interface ZipEntry {
  name: string;
  crc: number;
  size: number;
  /** Where its local header starts in the archive. */
  offset: number;
  /** Written with a data descriptor after its data (flag bit 3). */
  descriptor?: boolean;
}

export const ZIP_LIMITS = { entries: 0xffff, bytes: 0xffffffff };

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE) of `bytes`, continuing from `crc` (0 to start): a long entry is summed a piece at a time. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** MS-DOS date and time (local time in the format; written here as UTC, as most tools then show it). */
function dosTime(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

const encoder = new TextEncoder();
const UTF8 = 1 << 11;
const DESCRIPTOR = 1 << 3;

/** The local file header; with `descriptor`, CRC and sizes are zero here and follow the data. */
export function localHeader(name: string, at: Date, known: { crc: number; size: number } | null): Uint8Array {
  const file = encoder.encode(name);
  const out = new Uint8Array(30 + file.length);
  const v = new DataView(out.buffer);
  const { time, date } = dosTime(at);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(6, UTF8 | (known ? 0 : DESCRIPTOR), true);
  v.setUint16(8, 0, true);
  v.setUint16(10, time, true);
  v.setUint16(12, date, true);
  v.setUint32(14, known?.crc ?? 0, true);
  v.setUint32(18, known?.size ?? 0, true);
  v.setUint32(22, known?.size ?? 0, true);
  v.setUint16(26, file.length, true);
  v.setUint16(28, 0, true);
  out.set(file, 30);
  return out;
}

/** The data descriptor that follows an entry started without its CRC and size (with its optional signature). */
export function dataDescriptor(crc: number, size: number): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x08074b50, true);
  v.setUint32(4, crc, true);
  v.setUint32(8, size, true);
  v.setUint32(12, size, true);
  return out;
}

/** The central directory and the end record, for entries written from `start` (the directory's offset). */
export function centralDirectory(entries: readonly ZipEntry[], start: number, at: Date): Uint8Array {
  const names = entries.map((e) => encoder.encode(e.name));
  const size = names.reduce((n, name) => n + 46 + name.length, 0);
  const out = new Uint8Array(size + 22);
  const v = new DataView(out.buffer);
  const { time, date } = dosTime(at);
  let p = 0;
  entries.forEach((e, i) => {
    const name = names[i]!;
    v.setUint32(p, 0x02014b50, true);
    v.setUint16(p + 4, (3 << 8) | 20, true); // made by: Unix, version 2.0
    v.setUint16(p + 6, 20, true);
    v.setUint16(p + 8, UTF8 | (e.descriptor ? DESCRIPTOR : 0), true);
    v.setUint16(p + 10, 0, true);
    v.setUint16(p + 12, time, true);
    v.setUint16(p + 14, date, true);
    v.setUint32(p + 16, e.crc, true);
    v.setUint32(p + 20, e.size, true);
    v.setUint32(p + 24, e.size, true);
    v.setUint16(p + 28, name.length, true);
    // extra, comment, disk, internal attributes: 0; external: a regular file, rw-r--r--
    v.setUint32(p + 38, (0o100644 << 16) >>> 0, true);
    v.setUint32(p + 42, e.offset, true);
    out.set(name, p + 46);
    p += 46 + name.length;
  });
  v.setUint32(p, 0x06054b50, true);
  v.setUint16(p + 8, entries.length, true);
  v.setUint16(p + 10, entries.length, true);
  v.setUint32(p + 12, size, true);
  v.setUint32(p + 16, start, true);
  return out;
}

/** A whole small archive in memory (tests, and the Node side's own checks). */
export function zipOf(files: readonly { name: string; bytes: Uint8Array }[], at = new Date()): Uint8Array {
  const parts: Uint8Array[] = [];
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (const f of files) {
    const crc = crc32(f.bytes);
    const header = localHeader(f.name, at, { crc, size: f.bytes.length });
    entries.push({ name: f.name, crc, size: f.bytes.length, offset });
    parts.push(header, f.bytes);
    offset += header.length + f.bytes.length;
  }
  parts.push(centralDirectory(entries, offset, at));
  return concat(parts);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The entries of an archive, read from its central directory (stored or deflated entries;
 * what this platform writes and what other platforms' exports usually are). Node's side only needs
 * names and bytes; `inflate` is given by the caller (node:zlib's inflateRawSync).
 */
export function readZip(bytes: Uint8Array, inflate: (b: Uint8Array) => Uint8Array): { name: string; bytes: Uint8Array }[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a zip file (no end of central directory record)");
  const count = v.getUint16(end + 10, true);
  let p = v.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    if (v.getUint32(p, true) !== 0x02014b50) throw new Error(`the zip's central directory is damaged at entry ${i + 1}`);
    const method = v.getUint16(p + 10, true);
    const compressed = v.getUint32(p + 20, true);
    const nameLength = v.getUint16(p + 28, true);
    const extra = v.getUint16(p + 30, true);
    const comment = v.getUint16(p + 32, true);
    const offset = v.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extra + comment;
    if (name.endsWith("/")) continue;
    const dataAt = offset + 30 + v.getUint16(offset + 26, true) + v.getUint16(offset + 28, true);
    const data = bytes.subarray(dataAt, dataAt + compressed);
    if (method === 0) out.push({ name, bytes: data });
    else if (method === 8) out.push({ name, bytes: inflate(data) });
    else throw new Error(`${name}: compressed with method ${method}, which this import cannot read (stored or deflated only)`);
  }
  return out;
}
