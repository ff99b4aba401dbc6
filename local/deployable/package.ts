import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from './template.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const SERVERLESS_BIN = join(dirname(require.resolve('osls/package.json')), 'bin', 'serverless.js');

export interface DeployablePackage {
  /** Where the CloudFormation template and one zip per function were written. */
  dir: string;
  template: Template;
}

/**
 * `serverless package --stage <stage>` into `dir`: offline, without AWS credentials, the very template and
 * bundles a deployment would upload. Everything the local stack creates and runs is read from them.
 */
export const packageDeployable = async (
  dir: string,
  stage = 'dev',
  signal?: AbortSignal,
): Promise<DeployablePackage> => {
  const target = resolve(dir);
  await rm(target, { recursive: true, force: true });
  const output = await run(
    process.execPath,
    [SERVERLESS_BIN, 'package', '--stage', stage, '--package', target],
    signal,
  );
  const templateFile = join(target, 'cloudformation-template-update-stack.json');
  let text: string;
  try {
    text = await readFile(templateFile, 'utf8');
  } catch {
    throw new Error(`serverless package wrote no ${templateFile}:\n${output}`);
  }
  return { dir: target, template: JSON.parse(text) as Template };
};

const run = (command: string, args: string[], signal?: AbortSignal): Promise<string> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: REPOSITORY,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal && { signal }),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolvePromise(output)
        : reject(new Error(`serverless package failed (exit code ${code}):\n${output.trim()}`)),
    );
  });
