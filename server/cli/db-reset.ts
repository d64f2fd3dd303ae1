/**
 * `npm run db:reset [-- --yes] [--customers N] [--seed S] [--now YYYY-MM-DD]`
 * Starts over: deletes the embedded PGlite data dir (with DATABASE_URL: drops and re-creates the migrated
 * schemas, only with --yes), re-applies the migrations and the demo seed.
 */
import { resolveBackendConfig } from "../config.ts";
import { prepareDatabase } from "../db/migrate.ts";
import { CliUsageError, parseSeedArgs } from "../seed/cli-args.ts";
import { seed } from "../seed/index.ts";
import { recreateSchemas, removePgliteDir } from "../seed/reset.ts";
import { describeTarget, lockTarget, openTarget } from "../seed/target.ts";

const USAGE = `usage: npm run db:reset [-- --yes] [--customers N] [--seed S] [--now YYYY-MM-DD]
  deletes the embedded data (.data/pglite) and starts again with the migrations and the demo seed;
  with DATABASE_URL set it drops and re-creates the migrated schemas instead, which needs --yes`;

const ALLOWED = new Set(["--yes", "--customers", "--seed", "--now", "--help", "-h"]);

async function main(): Promise<number> {
  let args;
  try {
    args = parseSeedArgs(process.argv.slice(2), ALLOWED);
  } catch (err) {
    if (err instanceof CliUsageError) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const config = resolveBackendConfig();
  const target = describeTarget(config);
  if (config.databaseUrl && !args.yes) {
    console.error(`db:reset would drop and re-create every schema the migrations own in ${target}, with all its data. Run it again with --yes to confirm.`);
    return 1;
  }
  const lock = await lockTarget(config);
  const started = Date.now();
  if (!config.databaseUrl) {
    console.log(`deleting ${target}`);
    await removePgliteDir(config.pgliteDir); // on failure the process exits, which frees the lock
  }
  const engine = await openTarget(config, lock);
  try {
    const applied = config.databaseUrl ? await recreateSchemas(engine) : await prepareDatabase(engine);
    console.log(`applied ${applied.length} migrations (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    const summary = await seed(engine, { customers: args.customers, seed: args.seed, now: args.now, onProgress: (msg) => console.log(`  ${msg}`) });
    console.log(`${target} reset: ${summary.rows.customers} customers, ${summary.rows.api_request_logs} API log rows (${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
    return 0;
  } finally {
    await engine.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`db:reset failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
