import { createUnstorageStore } from '../src/index';
import { describeSessionStore } from './support/describe-session-store';

describeSessionStore('lru-cache', async () => ({ store: await createUnstorageStore({ type: 'lru-cache' }) }));
