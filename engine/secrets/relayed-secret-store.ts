/**
 * Secrets held by another process: the Electron engine host (a utilityProcess,
 * which has no safeStorage) gets the unsealed values from the main process
 * when it starts and hands every change back to be sealed and stored
 * (main/secret-vault.ts). Values live only in memory here.
 */
import type { SecretName, SecretStore } from './secret-store.js';

export class RelayedSecretStore implements SecretStore {
  private readonly values: Map<SecretName, string>;

  constructor(
    initial: Partial<Record<SecretName, string>>,
    private readonly persist: (name: SecretName, value: string | null) => void,
  ) {
    this.values = new Map(Object.entries(initial).filter(([, v]) => typeof v === 'string' && v !== '') as Array<[SecretName, string]>);
  }

  get(name: SecretName): string | undefined {
    return this.values.get(name);
  }

  set(name: SecretName, value: string): void {
    this.values.set(name, value);
    this.persist(name, value);
  }

  delete(name: SecretName): void {
    this.values.delete(name);
    this.persist(name, null);
  }

  source(name: SecretName): string | undefined {
    return this.values.has(name) ? 'safeStorage' : undefined;
  }
}
