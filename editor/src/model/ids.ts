/** Node-RED style ids: 16 lowercase hex characters, random. */
export function generateId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A generator of fresh ids that never collide with the given ones. */
export function idGenerator(taken: Iterable<string>): () => string {
  const used = new Set(taken);
  return () => {
    let id = generateId();
    while (used.has(id)) id = generateId();
    used.add(id);
    return id;
  };
}
