import type { ConnectConfig, RuntimeConfig } from '../config/index.js';
import type { HttpSend } from '../http/index.js';
import { secretFrom } from '../secrets.js';
import { createChannelDocumentsClient, type ChannelDocumentsClient } from './channel-documents.js';
import { createConnectClient, type ConnectClient } from './reports.js';
import { createTokenProvider, type TokenProvider } from './token.js';

/** The Channel Platform token of a function, from its validated configuration. */
export const tokensFromConfig = (connect: ConnectConfig, runtime: RuntimeConfig, send: HttpSend): TokenProvider =>
  createTokenProvider({
    authUrl: connect.CONNECT_AUTH_URL,
    clientId: connect.CONNECT_CLIENT_ID,
    clientSecret: secretFrom(
      connect.CONNECT_CLIENT_SECRET,
      connect.CONNECT_CLIENT_SECRET_PARAM,
      runtime.SECRETS_MAX_AGE_SECONDS,
    ),
    send,
  });

/** The action-status client of a function, from its validated configuration. */
export const connectClientFromConfig = (
  connect: ConnectConfig,
  runtime: RuntimeConfig,
  send: HttpSend,
): ConnectClient =>
  createConnectClient({ apiUrl: connect.CONNECT_API_URL, send, tokens: tokensFromConfig(connect, runtime, send) });

/** uploadOrderDocument / deleteOrderDocument with the Channel Platform token, from a function's validated configuration. */
export const channelDocumentsClientFromConfig = (
  connect: ConnectConfig,
  runtime: RuntimeConfig,
  send: HttpSend,
): ChannelDocumentsClient =>
  createChannelDocumentsClient({
    apiUrl: connect.CONNECT_API_URL,
    send,
    tokens: tokensFromConfig(connect, runtime, send),
  });
