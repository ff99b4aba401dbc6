import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './context.js';
import { toFunctionError, type ContainerReply, type ContainerRequest } from './protocol.js';

/**
 * The runtime of one local Lambda container, run as its own Node process with the function's environment:
 * like Lambda's Node.js runtime, it imports `_HANDLER` from `LAMBDA_TASK_ROOT` once (the cold start), then
 * runs one invocation at a time for the local stack, over IPC.
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const reply = (message: ContainerReply) => process.send?.(message);

const loadHandler = async (): Promise<Handler> => {
  const root = process.env.LAMBDA_TASK_ROOT ?? '';
  const handler = process.env._HANDLER ?? '';
  const dot = handler.lastIndexOf('.');
  const [modulePath, exportName] = [handler.slice(0, dot), handler.slice(dot + 1)];
  const file = ['.js', '.mjs', '.cjs']
    .map((extension) => join(root, modulePath + extension))
    .find((candidate) => existsSync(candidate));
  if (!file)
    throw Object.assign(new Error(`Cannot find module '${modulePath}'`), { name: 'Runtime.ImportModuleError' });
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const exported = module[exportName];
  if (typeof exported !== 'function')
    throw Object.assign(new Error(`${handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return exported as Handler;
};

const invoke = async (handler: Handler, request: ContainerRequest) => {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
  const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 128);
  try {
    const payload = await handler(request.event, lambdaContext(functionName, request.deadline - Date.now(), memoryMb));
    reply({ kind: 'response', requestId: request.requestId, payload: payload ?? null });
  } catch (error) {
    reply({ kind: 'error', requestId: request.requestId, error: toFunctionError(error) });
  }
};

// The local stack is gone (stopped, or killed): so is this container.
process.on('disconnect', () => process.exit(0));

loadHandler().then(
  (handler) => {
    process.on('message', (request: ContainerRequest) => void invoke(handler, request));
    reply({ kind: 'ready' });
  },
  (error: unknown) => {
    reply({ kind: 'init-error', error: toFunctionError(error) });
    process.disconnect?.();
  },
);
