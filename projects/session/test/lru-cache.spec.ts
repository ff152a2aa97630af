import { describeSessionStore } from './support/describe-session-store';
import { lruCacheStore } from './support/stores';

describeSessionStore('lru-cache', lruCacheStore);
