import { fork } from 'node:child_process';

/** From the servers process: the environment once, then one reply per request, by id. */
type Outbound<Reply> = { type: 'ready'; env: Record<string, string> } | { id: number; reply?: Reply };

/** To the servers process: a request, or `stop` (close the servers and leave), by id. */
type Inbound<Request> = { id: number; request: Request } | { id: number; stop: true };

/**
 * Forks a bench's servers process (its local servers, kept out of the process whose memory and time are
 * measured), waits for the environment that points at them, and asks it requests over IPC.
 */
export const forkServers = async <Request, Reply>(module: URL) => {
  const child = fork(module, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = new Map<number, (reply?: Reply) => void>();
  let nextId = 0;
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: Outbound<Reply>) => {
      if ('env' in message) resolve(message.env);
      else waiting.get(message.id)?.(message.reply);
    });
  });
  const call = (message: Omit<Inbound<Request>, 'id'>) =>
    new Promise<Reply | undefined>((resolve) => {
      const id = (nextId += 1);
      waiting.set(id, resolve);
      child.send({ id, ...message });
    });
  return {
    env,
    ask: async (request: Request) => (await call({ request })) as Reply,
    stop: async () => {
      await call({ stop: true });
    },
  };
};

/**
 * The servers process's side: sends `env` once its servers are up, answers each request with `answer`, and on
 * `stop` closes them and leaves the channel.
 */
export const serveParent = <Request, Reply>(
  env: Record<string, string>,
  answer: (request: Request) => Promise<Reply> | Reply,
  close: () => Promise<unknown>,
) => {
  const send = (message: Outbound<Reply>) => process.send?.(message);
  process.on('message', async (message: Inbound<Request>) => {
    if ('request' in message) {
      send({ id: message.id, reply: await answer(message.request) });
      return;
    }
    await close();
    send({ id: message.id });
    process.disconnect();
  });
  send({ type: 'ready', env });
};
