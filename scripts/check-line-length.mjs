// npm run format:check, after Prettier: no line over 140 characters in code (Prettier cannot break long strings).
// Markdown and the lockfile are left out: README tables and generated JSON have no sensible break.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 140;
const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\0')
  .filter((file) => /\.(ts|mts|mjs|js|json|sh|yml|yaml|html|css)$/.test(file) && !file.endsWith('package-lock.json'));
const long = files.flatMap((file) => {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line, i) => (line.length > MAX ? [`${file}:${i + 1}: ${line.length} characters`] : []));
});
if (long.length) {
  console.error(`Lines over ${MAX} characters (split the string or the expression):\n${long.join('\n')}`);
  process.exit(1);
}
console.log(`No line over ${MAX} characters in ${files.length} files.`);
