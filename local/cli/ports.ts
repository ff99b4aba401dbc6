import { createServer } from 'node:net';

/** A local server could not listen because its port is taken; the message says what to do. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly server: LocalServer,
    readonly port: number,
  ) {
    super(explainPortInUse(server, port));
  }
}

/** Runs `listen`, turning EADDRINUSE into a PortInUseError that names the server. */
export const listenOrExplain = async <T>(server: LocalServer, port: number, listen: () => Promise<T>): Promise<T> => {
  try {
    return await listen();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') throw new PortInUseError(server, port);
    throw error;
  }
};

/** The local servers of `npm start`, their fixed default ports and how to choose others. */
export const LOCAL_SERVERS = {
  sqs: { service: 'SQS and S3, fauxqs', defaultPort: 4566, flag: 'sqs-port', variable: 'LOCAL_SQS_PORT' },
  dynamodb: {
    service: 'DynamoDB, dynalite',
    defaultPort: 4567,
    flag: 'dynamodb-port',
    variable: 'LOCAL_DYNAMODB_PORT',
  },
  connect: { service: 'simulated Connect', defaultPort: 4010, flag: 'connect-port', variable: 'LOCAL_CONNECT_PORT' },
  mmp: { service: 'simulated MMP', defaultPort: 4020, flag: 'mmp-port', variable: 'LOCAL_MMP_PORT' },
  documents: {
    service: "simulated document storage, behind Connect's document links",
    defaultPort: 4030,
    flag: 'documents-port',
    variable: 'LOCAL_DOCUMENTS_PORT',
  },
  purchaseOrder: {
    service: 'simulated purchase-order service',
    defaultPort: 4040,
    flag: 'purchase-order-port',
    variable: 'LOCAL_PURCHASE_ORDER_PORT',
  },
  operations: {
    service: 'simulated operations API',
    defaultPort: 4050,
    flag: 'operations-port',
    variable: 'LOCAL_OPERATIONS_PORT',
  },
} as const;
export type LocalServer = keyof typeof LOCAL_SERVERS;

/** A server's port: its flag, else its environment variable, else its default; 0 means any free port. */
export const portOf = (
  server: LocalServer,
  flags: Partial<Record<string, string | boolean>>,
  env: NodeJS.ProcessEnv,
): number => {
  const { flag, variable, defaultPort } = LOCAL_SERVERS[server];
  const given = flags[flag] ?? env[variable];
  if (given === undefined || given === '') return defaultPort;
  const port = Number(given);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--${flag} (or ${variable}) must be a port number, 0 for any free port (got ${String(given)})`);
  return port;
};

/** What to tell someone whose port is taken. */
export const explainPortInUse = (server: LocalServer, port: number): string => {
  const { service, flag, variable } = LOCAL_SERVERS[server];
  return (
    `Port ${port} (${service}) is already in use. Another \`npm start\` may still be running: stop it, ` +
    `or choose another port with --${flag} <port> (or ${variable}=<port>; 0 picks any free port).`
  );
};

/** The servers whose port is taken right now (port 0 is never taken). */
export const busyServers = async (ports: Record<LocalServer, number>): Promise<LocalServer[]> => {
  const busy: LocalServer[] = [];
  for (const [server, port] of Object.entries(ports) as Array<[LocalServer, number]>) {
    if (port !== 0 && !(await canListen(port))) busy.push(server);
  }
  return busy;
};

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
