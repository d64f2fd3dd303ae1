import { afterAll, beforeAll } from "vitest";

interface Closable {
  close(): Promise<unknown>;
}

/**
 * Opens a resource (a test database, a server harness…) before the tests of the calling file or describe block and
 * closes it after them, also when opening failed half-way. Returns a stand-in that forwards to the resource once it
 * is open, so tests read `db.engine` as before; touching it before then throws rather than reading undefined.
 */
export function openBeforeAll<T extends Closable>(open: () => Promise<T>, timeoutMs?: number): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await open();
  }, timeoutMs);
  afterAll(async () => {
    await current?.close();
  });
  const opened = (): T => {
    if (!current) throw new Error("used before beforeAll opened it");
    return current;
  };
  return new Proxy({} as T, {
    get: (_target, property) => Reflect.get(opened(), property),
    has: (_target, property) => Reflect.has(opened(), property),
  });
}
