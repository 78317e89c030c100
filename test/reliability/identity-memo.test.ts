/**
 * Issue 19 (soak): every take and export signs, and checking the same signing chain each time was tens of
 * milliseconds of the host's event loop. A checked identity is reused while its files are unchanged; a changed
 * identity, or a check at another time (`now`), is checked again.
 */
import { describe, expect, it } from 'vitest';
import { loadSigningIdentity } from '../../engine/provenance/identity.js';
import type { KeyStore, StoredIdentity } from '../../engine/provenance/key-store.js';

class MemoryKeyStore implements KeyStore {
  readonly location = 'memory';
  identity: StoredIdentity | undefined;
  load() {
    return this.identity;
  }
  save(identity: StoredIdentity) {
    this.identity = identity;
  }
}

describe('signing identity', () => {
  it('is checked once while unchanged, and again when it changes', async () => {
    const store = new MemoryKeyStore();
    const first = await loadSigningIdentity({ store, creatorName: 'A' });
    const again = await loadSigningIdentity({ store });
    expect(again.key).toBe(first.key);
    expect(again.chain).toBe(first.chain);
    // another time: checked again (an expiry is never skipped)
    expect((await loadSigningIdentity({ store, now: new Date() })).key).not.toBe(first.key);
    // another identity in the store: checked, not the old one
    const other = new MemoryKeyStore();
    await loadSigningIdentity({ store: other, creatorName: 'B' });
    store.identity = other.identity;
    const changed = await loadSigningIdentity({ store });
    expect(changed.key).not.toBe(first.key);
    expect(changed.stored.chainPem).toBe(other.identity!.chainPem);
    // a broken chain is refused, memo or not
    store.identity = { ...other.identity!, chainPem: 'not a certificate' };
    await expect(loadSigningIdentity({ store })).rejects.toMatchObject({ kind: 'input' });
  });
});
