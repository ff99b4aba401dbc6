import { describe, expect, it } from 'vitest';
import { createTokenProvider, withToken } from '../../../lib/connect/index.js';
import { HttpError, type HttpSend } from '../../../lib/http/index.js';
import type { Secret } from '../../../lib/secrets.js';

const tokenServer = (expiresIn = 3599) => {
  const requests: string[] = [];
  const send: HttpSend = async (request) => {
    requests.push(String(request.body));
    return new Response(
      JSON.stringify({ token_type: 'Bearer', access_token: `token-${requests.length}`, expires_in: expiresIn }),
    );
  };
  return { send, requests };
};
const secret = (): Secret & { refreshed: number } => {
  const value = { refreshed: 0, value: async () => 's3cr3t', refresh: () => void (value.refreshed += 1) };
  return value;
};

describe('createTokenProvider', () => {
  it('asks for one token for many callers, concurrent ones included', async () => {
    const server = tokenServer();
    const tokens = createTokenProvider({
      authUrl: 'https://auth.example/oauth/token',
      clientId: 'id',
      clientSecret: secret(),
      send: server.send,
    });
    const values = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(values).toEqual(['token-1', 'token-1', 'token-1']);
    expect(await tokens.token()).toBe('token-1');
    expect(server.requests).toEqual(['grant_type=client_credentials&client_id=id&client_secret=s3cr3t']);
  });

  it('renews the token five minutes before it expires', async () => {
    let now = 0;
    const server = tokenServer(3600);
    const tokens = createTokenProvider({
      authUrl: 'https://a',
      clientId: 'id',
      clientSecret: secret(),
      send: server.send,
      now: () => now,
    });
    await tokens.token();
    now = 54 * 60_000;
    expect(await tokens.token()).toBe('token-1');
    now = 55 * 60_000 + 1;
    expect(await tokens.token()).toBe('token-2');
  });

  it('drops the token and re-reads the secret when invalidated (a 401)', async () => {
    const server = tokenServer();
    const clientSecret = secret();
    const tokens = createTokenProvider({ authUrl: 'https://a', clientId: 'id', clientSecret, send: server.send });
    await tokens.token();
    tokens.invalidate();
    expect(await tokens.token()).toBe('token-2');
    expect(clientSecret.refreshed).toBe(1);
  });
});

describe('withToken', () => {
  const refused = (status: number) => new HttpError(`Connect answered ${status}`, { status, mayHaveApplied: false });

  it('renews the token once when Connect answers 401, and calls again with the new one', async () => {
    const tokens = createTokenProvider({
      authUrl: 'https://a',
      clientId: 'id',
      clientSecret: secret(),
      send: tokenServer().send,
    });
    const seen: string[] = [];
    const result = await withToken(tokens, async (authorization) => {
      seen.push(authorization);
      if (seen.length === 1) throw refused(401);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('gives up after the second 401, and never renews for other errors', async () => {
    const tokens = createTokenProvider({
      authUrl: 'https://a',
      clientId: 'id',
      clientSecret: secret(),
      send: tokenServer().send,
    });
    let calls = 0;
    await expect(withToken(tokens, async () => ((calls += 1), Promise.reject(refused(401))))).rejects.toMatchObject({
      status: 401,
    });
    expect(calls).toBe(2);
    calls = 0;
    await expect(withToken(tokens, async () => ((calls += 1), Promise.reject(refused(403))))).rejects.toMatchObject({
      status: 403,
    });
    expect(calls).toBe(1);
  });
});
