import { createUnstorageStore } from '../src/index';
import { describeSessionStore } from './support/describe-session-store';

describeSessionStore('memory', async () => ({ store: await createUnstorageStore({ type: 'memory' }) }));
