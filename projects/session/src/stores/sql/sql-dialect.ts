// The database kinds the SQL store runs on, by the dialect db0 reports: how each spells its statements (sql-schema.ts)
// and how it runs them (sql-connection.ts, mariadb-connection.ts). Every difference between them is here or there.
import { mariadbConnection } from './mariadb-connection';
import { postgresConnection, sqliteConnection, type Connection, type Db0DatabaseLike } from './sql-connection';
import { SQL_SYNTAX, type SqlSyntax } from './sql-schema';

/** One database kind of the SQL store. */
export interface SqlDialect {
  syntax: SqlSyntax;
  connect: (database: Db0DatabaseLike) => Connection;
}

const SQLITE: SqlDialect = { syntax: SQL_SYNTAX.sqlite, connect: sqliteConnection };

const DIALECTS: Record<string, SqlDialect> = {
  postgresql: { syntax: SQL_SYNTAX.postgresql, connect: postgresConnection },
  sqlite: SQLITE,
  libsql: SQLITE,
  // db0's mysql2 connector; the server must be MariaDB 10.5+ (mariadb-connection.ts checks it on first use).
  mysql: { syntax: SQL_SYNTAX.mariadb, connect: mariadbConnection },
};

/** The database kind behind db0's `dialect`, or undefined for one the store does not run on. */
export function sqlDialectOf(dialect: string): SqlDialect | undefined {
  return Object.hasOwn(DIALECTS, dialect) ? DIALECTS[dialect] : undefined;
}
