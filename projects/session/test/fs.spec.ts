import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUnstorageStore } from '../src/index';
import { describeSessionStore } from './support/describe-session-store';

describeSessionStore('fs', async () => {
  const base = mkdtempSync(join(tmpdir(), 'session-fs-'));
  return { store: await createUnstorageStore({ type: 'fs', options: { base } }), dispose: async () => rmSync(base, { recursive: true, force: true }) };
});
