// Prints one closing line, "N passed, N failed, N skipped", from the Vitest and Playwright JSON reports, after naming
// every failed test with the first lines of its error (the CI log keeps only its tail, so the names must be here),
// and exits non-zero when a report is missing, a test failed, or no test ran at all.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const ERROR_LINES = 6;
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

const firstLines = (text) =>
  String(text ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, ERROR_LINES)
    .map((line) => `      ${line}`)
    .join('\n');

function vitestFailures(file, report) {
  for (const suite of report.testResults ?? []) {
    const where = relative(process.cwd(), suite.name);
    const failedTests = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failedTests) {
      failures.push(`  ${file}: ${where} > ${test.fullName}\n${firstLines(test.failureMessages?.join('\n'))}`);
    }
    // A file that fails to load or whose hook throws has no failed test of its own.
    if (suite.status === 'failed' && failedTests.length === 0) {
      failures.push(`  ${file}: ${where} (the file itself)\n${firstLines(suite.message)}`);
    }
  }
}

function playwrightFailures(file, suites, titles = []) {
  for (const suite of suites ?? []) {
    const path = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const error = test.results?.at(-1)?.error?.message;
        failures.push(
          `  ${file}: ${[...path, spec.title].join(' > ')}${test.projectName ? ` [${test.projectName}]` : ''}\n${firstLines(error)}`,
        );
      }
    }
    playwrightFailures(file, suite.suites, path);
  }
}

for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if ('numPassedTests' in report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed (Vitest)`);
    vitestFailures(file, report);
  } else {
    const { expected = 0, unexpected = 0, flaky = 0, skipped: s = 0 } = report.stats ?? {};
    passed += expected + flaky;
    failed += unexpected;
    skipped += s;
    console.log(`${file}: ${expected + flaky} passed, ${unexpected} failed (Playwright)`);
    playwrightFailures(file, report.suites);
  }
}
if (failures.length > 0) console.log(`failed:\n${failures.join('\n')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
