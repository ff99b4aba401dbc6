import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { createResolver, NO_VALUE, TemplateResolutionError, type LocalNames } from '../deployable/intrinsics.js';
import { functionsOf, type FunctionDeclaration, type Template } from '../deployable/template.js';
import type { FunctionSpec } from '../runtime/containers.js';

/** The settings a function gets locally in place of the deployment's: the simulators, and literal secrets. */
export type LocalSettings = Record<string, string>;

/**
 * Every Node.js function of the template, ready to run: its zip unpacked into `<packageDir>/<key>/`, its
 * environment resolved against the local resources. Local settings replace the deployment's values, and a
 * setting `NAME` replaces `NAME_PARAM` (the SSM name of a secret). A function the local stack cannot run is
 * skipped with a warning saying why.
 */
export const prepareFunctions = async (options: {
  template: Template;
  packageDir: string;
  names: LocalNames;
  settings: LocalSettings;
  warn: (message: string) => void;
}): Promise<Array<FunctionSpec & { logicalId: string }>> => {
  const { resolve: resolveValue, condition } = createResolver(options.names, options.template.Conditions);
  const prepared: Array<FunctionSpec & { logicalId: string }> = [];
  for (const declaration of functionsOf(options.template)) {
    if (declaration.condition !== undefined && !condition(declaration.condition)) continue;
    if (!declaration.runtime.startsWith('nodejs')) {
      options.warn(`${declaration.key}: runtime ${declaration.runtime} is not run locally (Node.js only)`);
      continue;
    }
    let environment: Record<string, string>;
    try {
      environment = localEnvironment(declaration, resolveValue, options.settings, options.warn);
    } catch (error) {
      if (!(error instanceof TemplateResolutionError)) throw error;
      options.warn(`${declaration.key}: not run locally: ${error.message}`);
      continue;
    }
    const taskRoot = join(options.packageDir, declaration.key);
    await unzip(join(options.packageDir, declaration.artifact), taskRoot);
    const { logicalId, key, name, handler, runtime, timeoutSeconds, memoryMb } = declaration;
    prepared.push({ logicalId, key, name, taskRoot, handler, runtime, timeoutSeconds, memoryMb, environment });
  }
  return prepared;
};

const localEnvironment = (
  declaration: FunctionDeclaration,
  resolveValue: (value: unknown) => unknown,
  settings: LocalSettings,
  warn: (message: string) => void,
): Record<string, string> => {
  const environment: Record<string, string> = {};
  for (const [variable, value] of Object.entries(declaration.environment)) {
    try {
      const resolved = resolveValue(value);
      if (resolved !== NO_VALUE) environment[variable] = String(resolved);
    } catch (error) {
      if (error instanceof TemplateResolutionError) error.message = `variable ${variable}: ${error.message}`;
      throw error;
    }
  }
  for (const setting of Object.keys(settings)) delete environment[`${setting}_PARAM`];
  for (const variable of Object.keys(environment).filter((name) => name.endsWith('_PARAM'))) {
    warn(`${declaration.key}: ${variable} names an SSM parameter the local stack does not serve`);
  }
  return { ...environment, ...settings };
};

/** Unpacks a function zip as Lambda does, refusing entries that would land outside `dir`. */
export const unzip = async (zipFile: string, dir: string): Promise<void> => {
  const entries = unzipSync(new Uint8Array(await readFile(zipFile)));
  for (const [name, content] of Object.entries(entries)) {
    const target = resolve(dir, name);
    if (relative(dir, target).startsWith('..')) throw new Error(`${zipFile}: entry ${name} points outside the package`);
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
    } else {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }
};
