import type { ReadableStream } from 'node:stream/web';
import type { ConnectSellerConfig, RuntimeConfig } from '../config/index.js';
import { HttpError, type HttpSend } from '../http/index.js';
import { secretFrom } from '../secrets.js';
import { createTokenProvider, withToken, type TokenProvider } from './token.js';

/** One download of an order's ZIP, body included (the Lambda's deadline still bounds it). */
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export interface OrderDocumentsClient {
  /**
   * v2-downloadOrderDocuments: the ZIP of an order's documents (`types` and `document_ids` as repeated query
   * parameters, mutually exclusive), or undefined on 404 (unknown order, no documents, no id matching).
   */
  download(
    orderId: string,
    filter: { types?: string[]; documentIds?: string[] },
  ): Promise<ReadableStream<Uint8Array> | undefined>;
}

/** The seller-side Connect API: its own token (seller credentials, `audience`), a 401 renews it once. */
export const createOrderDocumentsClient = (options: {
  apiUrl: string;
  tokens: TokenProvider;
  send: HttpSend;
}): OrderDocumentsClient => ({
  async download(orderId, filter) {
    const query = new URLSearchParams([
      ...(filter.types ?? []).map((type): [string, string] => ['types', type]),
      ...(filter.documentIds ?? []).map((id): [string, string] => ['document_ids', id]),
    ]);
    const url = `${options.apiUrl}/v2/orders/${encodeURIComponent(orderId)}/documents${query.size > 0 ? `?${query}` : ''}`;
    try {
      const response = await withToken(options.tokens, (authorization) =>
        options.send({
          method: 'GET',
          url,
          operation: 'Connect v2-downloadOrderDocuments',
          repeatable: true,
          headers: { authorization, accept: 'application/zip' },
          timeoutMs: DOWNLOAD_TIMEOUT_MS,
          download: true,
        }),
      );
      return (response.body as ReadableStream<Uint8Array> | null) ?? undefined;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      throw error;
    }
  },
});

export const orderDocumentsClientFromConfig = (
  seller: ConnectSellerConfig,
  runtime: RuntimeConfig,
  send: HttpSend,
): OrderDocumentsClient =>
  createOrderDocumentsClient({
    apiUrl: seller.CONNECT_SELLER_API_URL,
    send,
    tokens: createTokenProvider({
      authUrl: seller.CONNECT_AUTH_URL,
      clientId: seller.CONNECT_SELLER_CLIENT_ID,
      clientSecret: secretFrom(
        seller.CONNECT_SELLER_CLIENT_SECRET,
        seller.CONNECT_SELLER_CLIENT_SECRET_PARAM,
        runtime.SECRETS_MAX_AGE_SECONDS,
      ),
      audience: seller.CONNECT_SELLER_AUDIENCE,
      send,
    }),
  });
