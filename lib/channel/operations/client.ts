import type { ReadableStream } from 'node:stream/web';
import * as z from 'zod';
import { spool, SpoolLimitExceeded } from '../../archive/spool.js';
import type { DownloadedDocument } from '../../archive/download.js';
import { HttpError, type HttpSend } from '../../http/index.js';
import { logger } from '../../observability.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Secret } from '../../secrets.js';

/** A PDF download, body included (the Lambda's deadline still bounds it). */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * The fields of an operation (seed 003) the archive needs. The API also answers the customer, payments and
 * delivery address: they are dropped here.
 */
const OperationSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  operationType: z.string().min(1),
  reference: z.string().min(1),
  pdfUrl: z.string().nullish(),
});
export type Operation = z.infer<typeof OperationSchema>;

/** Which operation: by the API's id (`/orders/{id}`) or by its reference (`/orders/reference/{reference}`). */
export type OperationKey = { orderId: string } | { reference: string };

export interface OperationsClient {
  find(key: OperationKey): Promise<Operation>;
  /** Streams the operation's PDF into the temporary storage; SpoolLimitExceeded past `maxBytes`. */
  downloadPdf(operation: Operation & { pdfUrl: string }, maxBytes: number): Promise<DownloadedDocument>;
}

/**
 * The operations API with its bearer token (OPERATIONS_API_TOKEN). Its `{"error", "error_description"}` refusals
 * (400 invalid_param_type, 404 not_found) are final and carry the description; a 401 re-reads the token once (a
 * rotated SSM value), then waits for the operator. The token goes to the PDF link only on the API's own host.
 */
export const createOperationsClient = (options: {
  apiUrl: string;
  token: Secret;
  send: HttpSend;
}): OperationsClient => {
  const { apiUrl, token, send } = options;
  const apiOrigin = new URL(apiUrl).origin;

  const get = async (
    url: string,
    operation: string,
    extra: { accept?: string; timeoutMs?: number; download?: boolean } = {},
    renewed = false,
  ): Promise<Response> => {
    const sameHost = new URL(url).origin === apiOrigin;
    try {
      return await send({
        method: 'GET',
        url,
        operation,
        repeatable: true,
        headers: {
          accept: extra.accept ?? 'application/json',
          ...(sameHost && { authorization: `Bearer ${await token.value()}` }),
        },
        ...(extra.timeoutMs && { timeoutMs: extra.timeoutMs }),
        ...(extra.download && { download: true }),
      });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 401 || !sameHost) throw refusal(error, operation);
      if (!renewed) {
        token.refresh();
        return get(url, operation, extra, true);
      }
      logger.error(
        "The operations API refuses the connector's token: check OPERATIONS_API_TOKEN (or OPERATIONS_API_TOKEN_PARAM)",
        { operation },
      );
      throw new ActionFailure(
        ActionErrorCode.UNAVAILABLE,
        `${operation} answered 401: OPERATIONS_API_TOKEN is not accepted`,
        { transient: true, cause: error },
      );
    }
  };

  return {
    async find(key) {
      const url =
        'orderId' in key
          ? `${apiUrl}/orders/${encodeURIComponent(key.orderId)}`
          : `${apiUrl}/orders/reference/${encodeURIComponent(key.reference)}`;
      const response = await get(
        url,
        'orderId' in key ? 'Operations API GET /orders/{id}' : 'Operations API GET /orders/reference/{reference}',
      );
      const parsed = OperationSchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(body)'))].join(', ');
        throw new ActionFailure(
          ActionErrorCode.UNEXPECTED,
          `the operations API answered with a body that is not an operation (${fields})`,
        );
      }
      return parsed.data;
    },

    async downloadPdf(operation, maxBytes) {
      const response = await get(operation.pdfUrl, `PDF of operation ${operation.id}`, {
        accept: 'application/pdf, */*',
        timeoutMs: DOWNLOAD_TIMEOUT_MS,
        download: true,
      });
      if (!response.body)
        throw new ActionFailure(ActionErrorCode.UNAVAILABLE, `PDF of operation ${operation.id}: no content`, {
          transient: true,
        });
      if (Number(response.headers.get('content-length')) > maxBytes) {
        await response.body.cancel();
        throw new SpoolLimitExceeded(maxBytes);
      }
      const file = await spool(response.body as ReadableStream<Uint8Array>, maxBytes);
      return { ...file, contentType: response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/pdf' };
    },
  };
};

/** A final refusal says what the API said (`error` and `error_description`); anything transient is passed on. */
const refusal = (error: unknown, operation: string): unknown => {
  if (!(error instanceof HttpError) || error.transient || error.status === undefined) return error;
  const { code, description } = error.details;
  const said = [code, description].filter(Boolean).join(': ');
  return new ActionFailure(
    error.status === 404 ? ActionErrorCode.DATA_NOT_FOUND : ActionErrorCode.INVALID_INPUT,
    `${operation} answered ${error.status}${said ? ` ${said}` : ''}`,
    { cause: error },
  );
};
