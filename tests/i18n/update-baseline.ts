/** Lowers the literal-text ratchet to what the source holds now; refuses to raise any file's allowance. */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { scanLiteralText } from "../helpers/literal-text";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const file = join(root, "tests", "i18n", "literal-text-baseline.json");
const initial = process.argv.includes("--initial");
const baseline = initial ? {} : (JSON.parse(readFileSync(file, "utf8")) as Record<string, number>);
const next: Record<string, number> = {};
const raised: string[] = [];
for (const [path, found] of [...scanLiteralText(root)].sort(([a], [b]) => a.localeCompare(b))) {
  if (!initial && found.length > (baseline[path] ?? 0)) raised.push(`${path}: ${found.length} > ${baseline[path] ?? 0}`);
  next[path] = initial ? found.length : Math.min(found.length, baseline[path] ?? 0);
}
if (raised.length > 0) {
  console.error(`These files gained literal UI text; move it into the catalogue instead:\n${raised.join("\n")}`);
  process.exit(1);
}
writeFileSync(file, `${JSON.stringify(Object.fromEntries(Object.entries(next).filter(([, n]) => n > 0)), null, 2)}\n`);
const total = Object.values(next).reduce((a, b) => a + b, 0);
console.log(`literal UI text left: ${total} in ${Object.keys(next).length} files`);
