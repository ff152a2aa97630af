import { describeSessionStore } from './support/describe-session-store';
import { mariadbStore } from './support/stores';

describeSessionStore('mariadb (db0, mysql2)', mariadbStore);
