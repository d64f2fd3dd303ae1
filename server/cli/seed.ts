/**
 * `npm run seed -- [--customers N] [--seed S] [--now YYYY-MM-DD] [--reset] [--yes]`
 * Seeds the embedded data dir (or DATABASE_URL) with deterministic demo or bench data.
 */
import { resolveBackendConfig } from "../config.ts";
import { prepareDatabase } from "../db/migrate.ts";
import { CliUsageError, parseSeedArgs } from "../seed/cli-args.ts";
import { seed, type SeedSummary } from "../seed/index.ts";
import { recreateSchemas, removePgliteDir } from "../seed/reset.ts";
import { describeTarget, lockTarget, openTarget } from "../seed/target.ts";

const USAGE = `usage: npm run seed -- [--customers N] [--seed S] [--now YYYY-MM-DD] [--reset] [--yes]
  --customers N   how many customers (default 300, the demo size; 100000 is the bench size)
  --seed S        PRNG seed (default 20261126); same seed and --now → same data
  --now DATE      the data's "today" (default: the current UTC day)
  --reset         wipe the database first (PGlite: delete the data dir; DATABASE_URL: also needs --yes)
  --yes           confirm --reset against a DATABASE_URL database`;

function printSummary(summary: SeedSummary): void {
  const width = Math.max(...Object.keys(summary.rows).map((t) => t.length));
  for (const [table, count] of Object.entries(summary.rows)) console.log(`  ${table.padEnd(width)}  ${count.toLocaleString("en-US")}`);
  console.log(`seeded in ${(summary.elapsedMs / 1000).toFixed(1)} s (seed ${summary.seed}, now ${summary.now.slice(0, 10)})`);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseSeedArgs(process.argv.slice(2));
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
  if (args.reset && config.databaseUrl && !args.yes) {
    console.error(`--reset would drop and re-create every schema the migrations own in ${target}. Add --yes to confirm.`);
    return 1;
  }
  const lock = await lockTarget(config);
  if (args.reset && !config.databaseUrl) {
    console.log(`deleting ${target}`);
    await removePgliteDir(config.pgliteDir); // on failure the process exits, which frees the lock
  }
  const engine = await openTarget(config, lock);
  try {
    if (args.reset && config.databaseUrl) {
      console.log(`re-creating the schemas of ${target}`);
      await recreateSchemas(engine);
    } else {
      await prepareDatabase(engine, { target });
    }
    const existing = await engine.query<{ n: number }>("select count(*)::int as n from public.customers");
    const held = existing.rows[0]?.n ?? 0;
    if (held > 0) {
      console.error(`${target} already holds ${held} customers; nothing seeded. Pass --reset to wipe it and seed again.`);
      return 1;
    }
    console.log(`seeding ${args.customers} customers into ${target}`);
    const summary = await seed(engine, {
      customers: args.customers,
      seed: args.seed,
      now: args.now,
      onProgress: (msg) => console.log(`  ${msg}`),
    });
    printSummary(summary);
    // PGlite runs no autovacuum: fresh statistics keep the planner on the indexes at bench size.
    const analyzed = Date.now();
    await engine.exec("analyze");
    console.log(`analyzed in ${((Date.now() - analyzed) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await engine.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`seed failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
