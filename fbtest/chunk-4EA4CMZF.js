import {
  XvError
} from "./chunk-EEPF45DI.js";

// dist/adapters/result-store.js
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
function storeKindOf(path) {
  const size = statSync(path).size;
  if (size === 0)
    return "sqlite";
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString("latin1") === "SQLite format 3\0")
      return "sqlite";
    if (buf.subarray(8, 12).toString("latin1") === "DUCK")
      return "duckdb";
    return void 0;
  } finally {
    closeSync(fd);
  }
}
function isDuckDbFile(path) {
  return existsSync(path) && statSync(path).isFile() && storeKindOf(path) === "duckdb";
}
async function openResultStore(path, options = {}) {
  const label = options.label ?? path;
  if (!existsSync(path))
    throw new XvError(`result database ${label} does not exist`);
  if (statSync(path).isDirectory())
    throw new XvError(`${label} is a directory, not a result database`);
  const kind = storeKindOf(path);
  if (kind === "duckdb") {
    const { openDuckStore } = await import("./result-store-duckdb-ZA64B7SR.js");
    return openDuckStore(path, label, Boolean(options.write));
  }
  if (kind === "sqlite") {
    const { openSqliteStore } = await import("./result-store-sqlite-Z5QENI7K.js");
    return openSqliteStore(path, label, Boolean(options.write));
  }
  throw new XvError(`${label} is neither an SQLite nor a DuckDB database (unknown file header)`);
}
async function checkpointForHashing(path, label) {
  if (!isDuckDbFile(path))
    return false;
  const store = await openResultStore(path, { label, write: true });
  await store.close();
  return true;
}

export {
  isDuckDbFile,
  checkpointForHashing
};
