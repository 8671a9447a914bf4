import {
  versionSummaryOf
} from "./chunk-6R3MSQNP.js";
import {
  XvError,
  errorMessage
} from "./chunk-EEPF45DI.js";

// dist/adapters/duckdb.js
function sqlString(value) {
  return `'${value.replaceAll("'", "''")}'`;
}
function quoteIdentDuck(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

// dist/adapters/result-store-duckdb.js
var NUMERIC = /INT|REAL|FLOA|DOUB|NUM|DEC|BOOL/i;
function lockMessage(label, error) {
  const text = errorMessage(error);
  if (!/Could not set lock|Conflicting lock/i.test(text))
    return void 0;
  const holder = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(text);
  const who = holder ? `${holder[1]} (PID ${holder[2]})` : "another process";
  return `${label} is open in ${who}; DuckDB allows one writing process \u2014 close it (or wait for it to finish) and try again`;
}
function jsValue(v) {
  if (typeof v === "bigint")
    return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date)
    return v.toISOString();
  if (v !== null && typeof v === "object" && !Array.isArray(v))
    return v.toString();
  return v;
}
async function openDuckStore(path, label, write) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  let instance;
  try {
    instance = await DuckDBInstance.create(path, {
      access_mode: write ? "READ_WRITE" : "READ_ONLY",
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false"
    });
  } catch (error) {
    throw new XvError(lockMessage(label, error) ?? `cannot open ${label}: ${errorMessage(error).split("\n")[0]}`);
  }
  const conn = await instance.connect();
  const rows = async (sql, params = []) => {
    try {
      const reader = params.length > 0 ? await conn.runAndReadAll(sql, params) : await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((r) => {
        const out = {};
        for (const [k, v] of Object.entries(r))
          out[k] = jsValue(v);
        return out;
      });
    } catch (error) {
      throw new XvError(`DuckDB query on ${label} failed: ${errorMessage(error).split("\n")[0]}`);
    }
  };
  return {
    kind: "duckdb",
    label,
    async tables() {
      const cols = await rows("SELECT table_name AS t, column_name AS c, data_type AS ty, is_nullable AS n FROM information_schema.columns WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position");
      const byTable = /* @__PURE__ */ new Map();
      for (const r of cols) {
        const list = byTable.get(String(r.t)) ?? [];
        list.push({ name: String(r.c), type: String(r.ty), pk: 0, notnull: r.n === "NO" });
        byTable.set(String(r.t), list);
      }
      return [...byTable.entries()].map(([table, columns]) => ({ table, columns }));
    },
    rows,
    async summariseVersions(table, versionColumn, columns, only) {
      const q = quoteIdentDuck;
      const cols = columns.filter((c) => c.name !== versionColumn);
      const parts = [`CAST(${q(versionColumn)} AS VARCHAR) AS v`, "count(*) AS n"];
      cols.forEach((c, i) => {
        if (NUMERIC.test(c.type))
          parts.push(`avg(TRY_CAST(${q(c.name)} AS DOUBLE)) AS m${i}`);
        else
          parts.push(`CASE WHEN count(DISTINCT ${q(c.name)}) = 1 THEN CAST(min(${q(c.name)}) AS VARCHAR) END AS s${i}`);
      });
      const where = only && only.length > 0 ? `WHERE CAST(${q(versionColumn)} AS VARCHAR) IN (${only.map(() => "?").join(",")})` : "";
      const result = await rows(`SELECT ${parts.join(", ")} FROM ${q(table)} ${where} GROUP BY 1`, only ?? []);
      return result.filter((r) => Number(r.n) > 0).map((r) => versionSummaryOf(r, cols));
    },
    async close() {
      if (write)
        await conn.run("CHECKPOINT").catch(() => void 0);
      conn.closeSync();
      instance.closeSync();
    }
  };
}

export {
  sqlString,
  quoteIdentDuck,
  lockMessage,
  jsValue,
  openDuckStore
};
