import { rmSync } from 'node:fs';

/** Removes the run's temp data dir (sessions and nothing else). */
export default function globalTeardown(): void {
  const dir = process.env['E2E_DATA_DIR'];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
