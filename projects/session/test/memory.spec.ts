import { describeSessionStore } from './support/describe-session-store';
import { memoryStore } from './support/stores';

describeSessionStore('memory', memoryStore);
