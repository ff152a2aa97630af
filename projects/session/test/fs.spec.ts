import { describeSessionStore } from './support/describe-session-store';
import { fsStore } from './support/stores';

describeSessionStore('fs', fsStore);
