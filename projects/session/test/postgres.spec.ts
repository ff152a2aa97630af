import { describeSessionStore } from './support/describe-session-store';
import { postgresStore } from './support/stores';

describeSessionStore('postgresql (db0, pg)', postgresStore);
