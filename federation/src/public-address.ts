import { lookup } from "node:dns/promises";

/**
 * Whether a peer's URL may be fetched or posted to in production: http(s) to a host whose every
 * address is public. Literal addresses are checked as they are (IPv4-mapped and NAT64 IPv6
 * forms included: `[::ffff:7f00:1]` is 127.0.0.1); names are resolved, and a name that does not
 * resolve is refused (fail closed: nothing could be delivered there anyway).
 */
export async function isPublicUrl(url: string, resolve: (host: string) => Promise<string[]> = resolveHost): Promise<boolean> {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return false;
  const literal = ipv4(host) ?? ipv6(host);
  if (literal) return publicAddress(literal);
  if (!/\./.test(host)) return false;
  const addresses = await resolve(host).catch(() => []);
  if (!addresses.length) return false;
  return addresses.every((a) => {
    const parsedAddress = ipv4(a) ?? ipv6(a);
    return !!parsedAddress && publicAddress(parsedAddress);
  });
}

async function resolveHost(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}

type Address = { v: 4; n: number } | { v: 6; words: number[] };

function ipv4(text: string): Address | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return { v: 4, n: ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0 };
}

function ipv6(text: string): Address | null {
  if (!text.includes(":") || !/^[0-9a-f:.]+$/.test(text)) return null;
  let tail: number[] = [];
  let body = text;
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4(dotted[1]!);
    if (v4?.v !== 4) return null;
    tail = [v4.n >>> 16, v4.n & 0xffff];
    // The groups before the IPv4 part ("::ffff:" → "::ffff", "::" stays "::").
    body = text.slice(0, dotted.index + 1);
    if (!body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const group = (s: string) => (s ? s.split(":") : []);
  const left = group(halves[0]!);
  const right = halves.length === 2 ? group(halves[1]!) : [];
  if ([...left, ...right].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const missing = 8 - left.length - right.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words = [
    ...left.map((g) => Number.parseInt(g, 16)),
    ...Array(halves.length === 2 ? missing : 0).fill(0),
    ...right.map((g) => Number.parseInt(g, 16)),
    ...tail,
  ];
  return words.length === 8 ? { v: 6, words } : null;
}

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const PRIVATE_V4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function publicAddress(a: Address): boolean {
  if (a.v === 4) {
    return !PRIVATE_V4.some(([base, bits]) => {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      return (a.n & mask) >>> 0 === ((ipv4(base) as { n: number }).n & mask) >>> 0;
    });
  }
  const w = a.words;
  const embedded = (hi: number, lo: number): boolean => publicAddress({ v: 4, n: ((hi << 16) | lo) >>> 0 });
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64): the IPv4 address decides.
  if (w.slice(0, 5).every((x) => x === 0) && (w[5] === 0xffff || w[5] === 0))
    return w[5] === 0 && w[6] === 0 && w[7]! <= 1 ? false : embedded(w[6]!, w[7]!);
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return embedded(w[6]!, w[7]!);
  // 6to4 carries an IPv4 address in its second and third words.
  if (w[0] === 0x2002) return embedded(w[1]!, w[2]!);
  if ((w[0]! & 0xfe00) === 0xfc00) return false; // unique local
  if ((w[0]! & 0xffc0) === 0xfe80) return false; // link-local
  if ((w[0]! & 0xff00) === 0xff00) return false; // multicast
  if (w[0] === 0x2001 && w[1] === 0x0db8) return false; // documentation
  if (w[0] === 0x2001 && w[1]! < 0x200) return false; // Teredo, benchmarking and other special-purpose
  return true;
}
