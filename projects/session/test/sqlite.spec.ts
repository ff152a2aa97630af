import { describeSessionStore } from './support/describe-session-store';
import { sqliteStore } from './support/stores';

describeSessionStore('sqlite (db0, libsql)', sqliteStore);
