// PGlite on its own thread (see openInterruptiblePglite in engine.ts): the server's thread stays free to notice a
// statement running past its timeout and stop this thread, which is the only way to interrupt PGlite.
// Plain JavaScript so the worker starts without a TypeScript loader.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/** The fields of a Postgres error the server reads (code, detail, hint, position…). */
function serialiseError(err) {
  const out = { message: err instanceof Error ? err.message : String(err) };
  for (const key of ["code", "detail", "hint", "position", "where", "schema", "table", "column", "constraint", "severity"]) {
    if (err && typeof err === "object" && err[key] !== undefined) out[key] = err[key];
  }
  return out;
}

let db;
try {
  db = await PGlite.create(workerData.dataDir, { extensions: { pg_trgm } });
  parentPort.postMessage({ ready: true });
} catch (err) {
  parentPort.postMessage({ ready: false, error: serialiseError(err) });
}

parentPort.on("message", async ({ id, op, sql, params }) => {
  try {
    if (op === "query") {
      const r = await db.query(sql, params ?? []);
      parentPort.postMessage({ id, result: { rows: r.rows, affectedRows: r.affectedRows, fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) } });
    } else if (op === "exec") {
      await db.exec(sql);
      parentPort.postMessage({ id, result: null });
    } else if (op === "close") {
      await db.close();
      parentPort.postMessage({ id, result: null });
    }
  } catch (err) {
    parentPort.postMessage({ id, error: serialiseError(err) });
  }
});
