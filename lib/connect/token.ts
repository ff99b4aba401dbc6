import * as z from 'zod';
import { HttpError, type HttpSend } from '../http/index.js';
import type { Secret } from '../secrets.js';

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

/** Renew this long before Connect's expiry, so a token never dies in flight. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

export interface TokenProvider {
  token(): Promise<string>;
  /** Drop the cached token (Connect answered 401) and re-read the client secret. */
  invalidate(): void;
}

/**
 * OAuth2 client-credentials token, shared by every event of a warm container: one token request serves
 * many events, concurrent callers share one in-flight request, and it is renewed before it expires.
 */
export const createTokenProvider = (options: {
  authUrl: string;
  clientId: string;
  clientSecret: Secret;
  /** Sent as `audience` (seller-API tokens name the seller's company this way). */
  audience?: string;
  /** Who issues the token, in operation names and messages. @default 'Connect' */
  service?: string;
  send: HttpSend;
  now?: () => number;
}): TokenProvider => {
  const now = options.now ?? Date.now;
  const service = options.service ?? 'Connect';
  let cached: { value: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const requestedAt = now();
    const response = await options.send({
      method: 'POST',
      url: options.authUrl,
      operation: `${service} token`,
      repeatable: true,
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: await options.clientSecret.value(),
        ...(options.audience !== undefined && { audience: options.audience }),
      }),
    });
    const parsed = TokenResponse.safeParse(await response.json());
    if (!parsed.success) throw new Error(`${service} token endpoint answered without access_token/expires_in`);
    const lifetimeMs = parsed.data.expires_in * 1000;
    const renewAt = requestedAt + Math.max(lifetimeMs - RENEW_BEFORE_EXPIRY_MS, lifetimeMs / 2);
    cached = { value: parsed.data.access_token, renewAt };
    return cached.value;
  };

  return {
    async token() {
      if (cached && now() < cached.renewAt) return cached.value;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
      options.clientSecret.refresh();
    },
  };
};

/**
 * Makes a call with the current token as `Authorization: Bearer <token>`. Connect answering 401 means the token
 * (or the secret behind it) changed: the token is dropped, the secret re-read, and the call made once more.
 */
export const withToken = async <T>(tokens: TokenProvider, call: (authorization: string) => Promise<T>): Promise<T> => {
  try {
    return await call(`Bearer ${await tokens.token()}`);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 401) throw error;
    tokens.invalidate();
    return call(`Bearer ${await tokens.token()}`);
  }
};
