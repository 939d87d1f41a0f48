import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { Change } from '@shared/contract/sync';
import type { ServerStore } from '../../../src-server/store/server-store';
import { postgresBackend, sqliteBackend, type StoreBackend } from './backends';

/** One contract case's view of the store under test. */
export interface StoreUnderTest {
  /** The open store; empty at the start of every case. */
  readonly store: ServerStore;
  readonly backend: StoreBackend;
  /** Closes the store and opens it again on the same data (a restart); `store` is the new one. */
  reopen(): Promise<ServerStore>;
}

/** Every backend each role's contract runs on: the cases are the same for both, so a role cannot be covered on one only. */
const backends = (): StoreBackend[] => [sqliteBackend(), postgresBackend()];

/**
 * Declares one role's contract (`AgentStore`, `FeedStore`, ...): a describe
 * block per backend, named "<role> contract: sqlite" and "... postgres", in
 * which every case starts from an empty store and any store it opened is
 * closed after it.
 */
export function describeStoreContract(role: string, cases: (subject: StoreUnderTest) => void): void {
  describe.each(backends())(`${role} contract: $name`, (backend: StoreBackend) => {
    let store: ServerStore | null = null;
    let open: ServerStore[] = [];
    const subject: StoreUnderTest = {
      get store() {
        if (!store) throw new Error('No store is open outside a contract case');
        return store;
      },
      backend,
      async reopen() {
        await subject.store.close();
        store = await backend.open();
        open.push(store);
        return store;
      },
    };

    beforeAll(() => backend.init());
    afterAll(() => backend.dispose());
    beforeEach(async () => {
      await backend.reset();
      store = await backend.open();
      open = [store];
    });
    afterEach(async () => {
      for (const s of open) await s.close();
      store = null;
    });

    cases(subject);
  });
}

/** Every change after `afterSeq`, read in pages of `pageSize`. */
export async function allChanges(store: ServerStore, afterSeq = 0, pageSize = 1000): Promise<Change[]> {
  const changes: Change[] = [];
  let position = afterSeq;
  for (;;) {
    const page = await store.changesAfter(position, pageSize);
    changes.push(...page.changes);
    if (page.changes.length === 0 || page.lastSeq === position) return changes;
    position = page.lastSeq;
  }
}

/** The entity a change is about: the feed holds one entry per key. */
export const changeKey = (change: Change): string => {
  switch (change.entity) {
    case 'customer': case 'interaction': case 'agent': return `${change.entity}:${change.data.id}`;
    case 'scores': return `scores:${change.data.customerId}`;
    case 'playbook': return 'playbook';
    case 'offer_stat': return `offer_stat:${change.data.offerId}:${change.data.segment}`;
    case 'model': return `model:${change.data.kind}`;
  }
};
