// Runs every check the project has and ends with one line: "N passed, N failed".
// Type-checking and lint count as one check each; vitest reports its own tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const extra = process.argv.slice(2);
let passed = 0;
let failed = 0;

function step(name, command, args) {
  process.stdout.write(`\n── ${name} ──\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function check(name, command, args) {
  if (step(name, command, args)) passed += 1;
  else {
    failed += 1;
    process.stdout.write(`${name}: FAILED\n`);
  }
}

check('type-check (tsc -b)', 'npx', ['tsc', '-b']);
check('lint (eslint)', 'npx', ['eslint', '.']);
check('build renderer', 'npm', ['run', '--silent', 'build:renderer']);

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const vitestOk = step('tests (vitest: unit, integration, e2e)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests ?? 0;
  failed += results.numFailedTests ?? 0;
  // A file that fails to load has no failed tests of its own: count each such file once.
  if ((results.numFailedTests ?? 0) === 0) failed += results.numFailedTestSuites ?? 0;
  if (!vitestOk && (results.numFailedTests ?? 0) === 0 && (results.numFailedTestSuites ?? 0) === 0) failed += 1;
} else {
  failed += 1;
}

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
