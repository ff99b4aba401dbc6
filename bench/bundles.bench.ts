import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageDeployable } from '../local/deployable/package.js';
import { functionsOf } from '../local/deployable/template.js';
import { unzip } from '../local/lambda/functions.js';
import { percentile, table } from './figures.js';

const IMPORTS_PER_FUNCTION = 7;
const run$ = promisify(execFile);

/**
 * Each function's deployable as Lambda gets it (`serverless package`): zip and bundle size, and the cold-init
 * time of importing the bundled handler in a fresh Node process (the part of a cold start the code controls: parse,
 * compile and evaluate; p50 of 7 imports after an untimed one, so disk reads of the fresh unzip do not count).
 */
export const measureBundles = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'connector-bundles-'));
  try {
    const { template } = await packageDeployable(join(dir, 'package'));
    const rows: Array<Array<string | number>> = [['function', 'zip KiB', 'bundle KiB', 'cold init p50 ms', 'max ms']];
    for (const declaration of functionsOf(template)) {
      const zip = join(dir, 'package', declaration.artifact);
      const root = join(dir, declaration.key);
      await unzip(zip, root);
      const [file] = declaration.handler.split('.');
      const bundle = join(root, `${file}.mjs`);
      await importTime(bundle); // untimed: the file just unzipped is read once into the page cache
      const times: number[] = [];
      for (let i = 0; i < IMPORTS_PER_FUNCTION; i += 1) times.push(await importTime(bundle));
      rows.push([
        declaration.key,
        ((await stat(zip)).size / 1024).toFixed(0),
        ((await stat(bundle)).size / 1024).toFixed(0),
        percentile(times, 50).toFixed(0),
        Math.max(...times).toFixed(0),
      ]);
    }
    table(rows);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

export const run = measureBundles;

const importTime = async (bundle: string): Promise<number> => {
  const script = `const t = performance.now(); await import(${JSON.stringify(bundle)}); console.log(performance.now() - t);`;
  const { stdout } = await run$(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return Number(stdout.trim());
};
