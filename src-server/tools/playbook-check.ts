/**
 * Checks playbook files before they are published.
 *
 *   npm run playbook:check -- FILE [FILE ...]
 *
 * Prints one line per problem, naming the file, the script, the step and
 * the problem ("default.json: error: script "price", step "offer":
 * say.he: missing Hebrew text"), then a summary. Exits 0 when every file is
 * publishable (warnings allowed), 1 when any has an error, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkPlaybook, formatProblem } from '@shared/playbook/check';

function checkFile(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    process.stdout.write(`${file}: error: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})\n`);
    return false;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    process.stdout.write(`${file}: error: not valid JSON: ${(error as Error).message}\n`);
    return false;
  }
  const result = checkPlaybook(raw);
  for (const problem of result.problems) process.stdout.write(`${formatProblem(file, problem)}\n`);
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const scripts = result.playbook?.scripts.length ?? 0;
  const steps = result.playbook?.scripts.reduce((n, s) => n + s.steps.length, 0) ?? 0;
  process.stdout.write(`${basename(file)}: ${errors === 0 ? 'ok' : 'NOT publishable'}: ${errors} error(s), ${warnings} warning(s)`
    + `${result.playbook ? `; version ${result.playbook.version}, ${scripts} scripts, ${steps} steps, ${result.playbook.offers.length} offers` : ''}\n`);
  return errors === 0;
}

const files = process.argv.slice(2).filter((a) => a !== '--');
if (files.length === 0) {
  process.stderr.write('usage: npm run playbook:check -- FILE [FILE ...]\n');
  process.exit(2);
}
let allOk = true;
for (const file of files) allOk = checkFile(file) && allOk;
process.exit(allOk ? 0 : 1);
