import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ContainerReply, ContainerRequest, FunctionError } from './protocol.js';

/** A function as the local stack runs it: its unzipped bundle and everything Lambda would give it. */
export interface FunctionSpec {
  /** The serverless.yml function key, e.g. `orderActions`. */
  key: string;
  /** The deployed name, e.g. `mirakl-connect-connector-dev-orderActions`. */
  name: string;
  /** The unzipped package (Lambda's LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** `path/to/file.export`, as in the template. */
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** The function's own environment variables. */
  environment: Record<string, string>;
}

export type InvocationResult = { ok: true; payload: unknown } | { ok: false; error: FunctionError };

/** One function: a pool of containers, each its own Node process, each running one invocation at a time. */
export interface LocalFunction {
  readonly spec: FunctionSpec;
  invoke(event: unknown): Promise<InvocationResult>;
  /** Containers started so far (cold starts). */
  readonly coldStarts: number;
  stop(): Promise<void>;
}

/** A line a container wrote on stdout or stderr, e.g. a log line of the handler. */
export type ContainerLog = (line: string, container: string) => void;

const INIT_TIMEOUT_MS = 10_000;
const CONTAINER_SOURCE = fileURLToPath(new URL('./container.ts', import.meta.url));

/** Bundles the container runtime (container.ts) into `dir`, so containers run plain Node, as Lambda does. */
export const buildContainerRuntime = async (dir: string): Promise<string> => {
  const outfile = join(dir, 'container-runtime.mjs');
  await build({
    entryPoints: [CONTAINER_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'silent',
  });
  return outfile;
};

export const startLocalFunction = (
  spec: FunctionSpec,
  runtime: string,
  onLog: ContainerLog = () => undefined,
): LocalFunction => {
  const idle: Container[] = [];
  const running = new Set<Container>();
  let coldStarts = 0;

  return {
    spec,
    get coldStarts() {
      return coldStarts;
    },
    async invoke(event) {
      let container = idle.pop();
      if (!container) {
        coldStarts += 1;
        container = new Container(spec, runtime, `${spec.key}/${coldStarts}`, onLog);
        running.add(container);
      }
      const initError = await container.ready;
      const result: InvocationResult = initError
        ? { ok: false, error: initError }
        : await container.invoke(event, spec.timeoutSeconds * 1000);
      if (container.alive) idle.push(container);
      else running.delete(container);
      return result;
    },
    async stop() {
      idle.length = 0;
      await Promise.all([...running].map((container) => container.stop()));
      running.clear();
    },
  };
};

/** One Lambda execution environment: a child process with the function's environment and its handler loaded. */
class Container {
  readonly ready: Promise<FunctionError | undefined>;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private pending: ((result: InvocationResult) => void) | undefined;
  private exitError: FunctionError | undefined;

  constructor(spec: FunctionSpec, runtime: string, id: string, onLog: ContainerLog) {
    this.child = fork(runtime, [], {
      env: containerEnvironment(spec, id),
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group: Ctrl-C reaches the local stack, which stops its containers itself.
      detached: true,
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => onLog(line, id));
    }
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitError ??= {
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited ${signal ? `on signal ${signal}` : `with exit status ${code}`}`,
        };
        this.pending?.({ ok: false, error: this.exitError });
        resolve();
      }),
    );
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          errorType: 'Runtime.InitTimeout',
          errorMessage: `Init phase took longer than ${INIT_TIMEOUT_MS / 1000} s`,
        });
        this.child.kill('SIGKILL');
      }, INIT_TIMEOUT_MS);
      const settle = (error?: FunctionError) => {
        clearTimeout(timer);
        resolve(error);
      };
      this.child.on('message', (reply: ContainerReply) => {
        if (reply.kind === 'ready') settle();
        else if (reply.kind === 'init-error') settle(reply.error);
        else
          this.pending?.(
            reply.kind === 'response' ? { ok: true, payload: reply.payload } : { ok: false, error: reply.error },
          );
      });
      void this.exited.then(() => settle(this.exitError));
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.exitError === undefined;
  }

  /** Runs one invocation; past the function's timeout the container is killed, as Lambda does. */
  invoke(event: unknown, timeoutMs: number): Promise<InvocationResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.exitError = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
        };
        this.pending?.({ ok: false, error: this.exitError });
        this.child.kill('SIGKILL');
      }, timeoutMs);
      this.pending = (result) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(result);
      };
      const request: ContainerRequest = {
        kind: 'invoke',
        requestId: randomUUID(),
        event,
        deadline: Date.now() + timeoutMs,
      };
      this.child.send(request);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** What Lambda sets in a Node.js execution environment, then the function's own variables. */
const containerEnvironment = (spec: FunctionSpec, id: string): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  LAMBDA_TASK_ROOT: spec.taskRoot,
  _HANDLER: spec.handler,
  AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
  AWS_LAMBDA_FUNCTION_NAME: spec.name,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
  AWS_LAMBDA_LOG_STREAM_NAME: `local/${id}`,
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  ...spec.environment,
});
