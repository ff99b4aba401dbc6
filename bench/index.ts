import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [-- <name>...]`: runs every `bench/*.bench.ts` (or the named ones) one after the other.
 * Each prints its own figures and the limit it is compared with; nothing here asserts a speed.
 */
// Handler logs and metrics would drown the figures (and cost time): set POWERTOOLS_LOG_LEVEL to see them.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const { run } = (await import(new URL(file, import.meta.url).href)) as { run: () => Promise<void> };
  await run();
}
if (benches.length === 0) console.log('No benchmark matched.');
