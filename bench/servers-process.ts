import { fork } from 'node:child_process';

/** Messages on a servers process's IPC channel: the environment once, then one reply per request, by id. */
export type ServersProcessMessage<Reply> =
  | { type: 'ready'; env: Record<string, string> }
  | { id: number; reply: Reply };

/**
 * Forks a bench's servers process (its local servers, kept out of the process whose memory and time are
 * measured), waits for the environment that points at them, and asks it requests over IPC.
 */
export const forkServers = async <Request, Reply>(module: URL) => {
  const child = fork(module, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = new Map<number, (reply: Reply) => void>();
  let nextId = 0;
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: ServersProcessMessage<Reply>) => {
      if ('env' in message) resolve(message.env);
      else waiting.get(message.id)?.(message.reply);
    });
  });
  const ask = (request: Request) =>
    new Promise<Reply>((resolve) => {
      const id = (nextId += 1);
      waiting.set(id, resolve);
      child.send({ id, request });
    });
  return { env, ask };
};
