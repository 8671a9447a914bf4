import {
  describeTables,
  openDb,
  summariseVersions
} from "./chunk-6R3MSQNP.js";
import "./chunk-EEPF45DI.js";

// dist/adapters/result-store-sqlite.js
function openSqliteStore(path, label, write) {
  const db = openDb(path, { readonly: !write, label });
  return {
    kind: "sqlite",
    label,
    // better-sqlite3 is synchronous: each answer is wrapped in a settled promise (a throw still rejects).
    tables: () => settle(() => describeTables(db)),
    rows: (sql, params = []) => settle(() => db.prepare(sql).all(...params)),
    summariseVersions: (table, versionColumn, columns, only) => settle(() => summariseVersions(db, table, versionColumn, columns, only)),
    close: () => settle(() => {
      db.close();
    })
  };
}
function settle(fn) {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
export {
  openSqliteStore
};
