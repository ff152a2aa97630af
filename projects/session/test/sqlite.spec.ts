import { describeSessionStore } from './support/describe-session-store';
import { SQLITE_STORES } from './support/stores';

// libsql everywhere; node-sqlite where Node has `node:sqlite`, better-sqlite3 on Node 22+ (absent on Node 20, not skipped: stores.ts).
for (const [connector, create] of SQLITE_STORES) describeSessionStore(`sqlite (db0, ${connector})`, create);
