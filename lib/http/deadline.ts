import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The instant (epoch ms) by which outbound work must be over, so a retry never sleeps past the
 * Lambda's remaining time. Set once per record by the function; read by the HTTP client.
 */
const deadlines = new AsyncLocalStorage<number>();

export const withDeadline = <T>(deadline: number, work: () => Promise<T>): Promise<T> => deadlines.run(deadline, work);

export const currentDeadline = (): number => deadlines.getStore() ?? Number.POSITIVE_INFINITY;

export const timeLeft = (): number => currentDeadline() - Date.now();
