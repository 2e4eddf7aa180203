/** A read-only KV namespace over a Map (the entries `npm run publish` would write), counting calls, keys and bytes read. For benchmarks. */
export function memoryKv(entries: Map<string, string>) {
  const stats = { calls: 0, keys: 0, bytes: 0 };
  const read = (key: string) => {
    const v = entries.get(key) ?? null;
    stats.keys++;
    stats.bytes += v?.length ?? 0;
    return v;
  };
  const kv = {
    async get(key: string | string[]) {
      stats.calls++;
      return Array.isArray(key) ? new Map(key.map((k) => [k, read(k)])) : read(key);
    },
  } as unknown as KVNamespace;
  return { kv, stats };
}
