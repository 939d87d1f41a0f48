/**
 * Prints a text file with personal data replaced by typed placeholders.
 *
 *   npm run redact -- --in FILE [--profile PROFILE.json] [--region IL] [--keep-handles]
 *
 * The redacted text goes to stdout; placeholder counts (occurrences and
 * distinct values per category) go to stderr. The mapping back to the
 * original values is never printed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PII_CATEGORIES, createRedactor, parseProfileInput } from '@shared/redaction/index';

class UserError extends Error {}

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`Cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      in: { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string', default: 'US' },
      'keep-handles': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.in) throw new UserError('Give the file to redact with --in FILE.');
  if (!/^[A-Za-z]{2}$/.test(values.region)) throw new UserError(`--region must be a two-letter code such as US or IL, not "${values.region}"`);
  let profile;
  if (values.profile) {
    let json: unknown;
    try {
      json = JSON.parse(read(values.profile, 'profile'));
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`Profile ${values.profile} is not valid JSON: ${(e as Error).message}`);
    }
    try {
      profile = parseProfileInput(json);
    } catch (e) {
      throw new UserError(`Profile ${values.profile}: ${(e as Error).message}`);
    }
  }
  const redactor = createRedactor({ defaultRegion: values.region, redactHandles: !values['keep-handles'] });
  const session = redactor.createSession(profile);
  const text = read(values.in, 'input');
  process.stdout.write(session.redact(text));
  if (!text.endsWith('\n')) process.stdout.write('\n');
  const counts = session.counts();
  const distinct = session.distinctCounts();
  const lines = PII_CATEGORIES.filter((c) => counts[c] > 0).map((c) => `  ${c.padEnd(12)} ${counts[c]} (${distinct[c]} distinct)`);
  process.stderr.write(lines.length > 0 ? `placeholders:\n${lines.join('\n')}\n` : 'placeholders: none\n');
}

try {
  main();
} catch (e) {
  if (e instanceof UserError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`redact: ${(e as Error).message}\n`);
    process.exit(2);
  }
  throw e;
}
