/**
 * Accounts on the configured store (the server's SQLite file, or PostgreSQL with a URL):
 *   npm run users -- list
 *   npm run users -- add <username> --name "Display Name" --role agent|supervisor|admin [--languages en:5,es:3] [--skills retention,billing]
 *   npm run users -- disable|enable|reset-password <username>
 * Options: --data DIR (default HOLDFAST_SERVER_DATA_DIR or .holdfast-data/server), --database-url URL (default HOLDFAST_DATABASE_URL).
 * add and reset-password print a one-time password once; it must be changed at first sign-in.
 * A running server sees a change within two seconds; disabling and resetting revoke the account's tokens.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { agentLanguageSchema, roleSchema } from '@shared/domain/agent';
import { AccountAdmin, AccountError } from '../auth/account-admin';
import { openServerStore, storeLocationFor } from '../store/open-store';

class UsageError extends Error {}

const USAGE = `usage: npm run users -- list | add <username> --name NAME --role agent|supervisor|admin [--languages en:5,es:3] [--skills a,b]
                     | disable <username> | enable <username> | reset-password <username>   [--data DIR] [--database-url URL]`;

function languagesFrom(text: string | undefined) {
  if (text === undefined) return undefined;
  return text.split(',').map((pair) => {
    const [code, level] = pair.trim().split(':');
    const parsed = agentLanguageSchema.safeParse({ code, proficiency: Number(level ?? 5) });
    if (!parsed.success) throw new UsageError(`--languages: "${pair}" is not code:level (e.g. en:5, level 1..5)`);
    return parsed.data;
  });
}

/** Runs one command; answers the exit code. Output goes through `out` and `err` (lines). */
export async function runUsersCli(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv], allowPositionals: true, strict: true,
      options: { data: { type: 'string' }, 'database-url': { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, languages: { type: 'string' }, skills: { type: 'string' } },
    });
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, username, ...rest] = positionals;
  const needsName = command === 'add' || command === 'disable' || command === 'enable' || command === 'reset-password';
  if (!command || !(needsName || command === 'list') || (needsName && !username) || rest.length > 0 || (command === 'list' && username)) {
    err(USAGE);
    return 2;
  }
  const dataDir = resolve(values.data ?? env.HOLDFAST_SERVER_DATA_DIR ?? '.holdfast-data/server');
  const store = await openServerStore(storeLocationFor(values['database-url'] ?? env.HOLDFAST_DATABASE_URL, dataDir));
  try {
    const admin = new AccountAdmin(store);
    switch (command) {
      case 'list': {
        const accounts = await admin.list();
        if (accounts.length === 0) out('No accounts.');
        for (const a of accounts) out(`${a.username}\t${a.role}\t${a.disabled ? 'disabled' : 'active'}${a.mustChangePassword ? '\tmust change password' : ''}\t${a.displayName}`);
        return 0;
      }
      case 'add': {
        const role = roleSchema.safeParse(values.role);
        if (!role.success) throw new UsageError('--role must be agent, supervisor or admin');
        if (!values.name) throw new UsageError('--name "Display Name" is required');
        const added = await admin.add({
          username: username!, displayName: values.name, role: role.data, languages: languagesFrom(values.languages),
          skills: values.skills?.split(',').map((s) => s.trim()).filter(Boolean),
        });
        out(`Added ${added.account.username} (${added.account.role}).`);
        out(`One-time password (shown once, must be changed at first sign-in): ${added.oneTimePassword}`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const account = await admin.setDisabled(username!, command === 'disable');
        out(`${account.username} is ${account.disabled ? 'disabled; its tokens are revoked' : 'enabled'}.`);
        return 0;
      }
      default: {
        const reset = await admin.resetPassword(username!);
        out(`New one-time password for ${reset.account.username} (shown once, must be changed at first sign-in; its tokens are revoked): ${reset.oneTimePassword}`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof AccountError) {
      err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runUsersCli(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
  process.exitCode = code;
}
