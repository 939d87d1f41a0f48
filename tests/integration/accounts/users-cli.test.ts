import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPassword } from '../../../src-server/auth/passwords';
import { openServerStore, storeLocationFor } from '../../../src-server/store/open-store';
import { runUsersCli } from '../../../src-server/tools/users';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { makeTempDir } from '../../support/temp-dir';

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runUsersCli(args, env, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err: err.join('\n') };
}

const where = {
  sqlite: () => {
    const dir = makeTempDir('users-cli');
    return { args: ['--data', dir.path], location: storeLocationFor(undefined, dir.path), dispose: async () => dir.remove() };
  },
  postgres: async () => {
    const database: TestDatabase = await createTestDatabase('users_cli');
    return { args: ['--database-url', database.url], location: storeLocationFor(database.url, '/nonexistent'), dispose: () => database.drop() };
  },
};

describe.each(['sqlite', 'postgres'] as const)('npm run users on %s', (kind) => {
  let target: Awaited<ReturnType<(typeof where)[typeof kind]>>;
  beforeAll(async () => {
    target = await where[kind]();
  });
  afterAll(() => target.dispose());

  it('adds, lists, disables, enables and resets accounts, with clear errors for bad input', async () => {
    const added = await run(['add', 'nina', '--name', 'Nina Ross', '--role', 'supervisor', '--languages', 'en:5,he:3', ...target.args]);
    expect(added.code).toBe(0);
    const oneTime = /One-time password.*: (\S+)$/.exec(added.out.at(-1)!)![1]!;
    const store = await openServerStore(target.location);
    try {
      const stored = (await store.agentByUsername('nina'))!;
      expect(stored.agent.languages).toEqual([{ code: 'en', proficiency: 5 }, { code: 'he', proficiency: 3 }]);
      expect((await checkPassword(oneTime, stored.passwordHash)).ok).toBe(true);
      expect(await store.accountById(stored.agent.id)).toMatchObject({ mustChangePassword: true, disabled: false });
    } finally {
      await store.close();
    }
    expect((await run(['list', ...target.args])).out.join('\n')).toMatch(/nina\tsupervisor\tactive\tmust change password/);
    expect((await run(['disable', 'nina', ...target.args])).code).toBe(0);
    expect((await run(['list', ...target.args])).out.join('\n')).toMatch(/nina\tsupervisor\tdisabled/);
    expect((await run(['enable', 'nina', ...target.args])).code).toBe(0);
    const reset = await run(['reset-password', 'nina', ...target.args]);
    expect(reset.code).toBe(0);
    expect(reset.out[0]).toMatch(/New one-time password for nina/);

    expect(await run(['add', 'nina', '--name', 'Again', '--role', 'agent', ...target.args])).toMatchObject({ code: 1, err: 'The user name nina is taken' });
    expect((await run(['add', 'x2', '--name', 'X', '--role', 'boss', ...target.args])).err).toMatch(/--role must be agent, supervisor or admin/);
    expect((await run(['add', 'x2', '--role', 'agent', ...target.args])).err).toMatch(/--name/);
    expect((await run(['add', 'x2', '--name', 'X', '--role', 'agent', '--languages', 'xx', ...target.args])).err).toMatch(/--languages/);
    expect(await run(['disable', 'ghost', ...target.args])).toMatchObject({ code: 1, err: 'No account ghost' });
    expect((await run(['frobnicate', ...target.args])).code).toBe(2);
    expect((await run(['disable', ...target.args])).code).toBe(2);
  });
});
