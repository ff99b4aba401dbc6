import type { ReadableStream } from 'node:stream/web';
import { HttpError, type HttpSend } from '../http/index.js';
import { ActionErrorCode, ActionFailure } from '../outcome.js';
import { describeLink, linkExpiry } from './document-link.js';
import { spool, SpoolLimitExceeded, type SpooledFile } from './spool.js';

/** One download attempt, body included (the Lambda's deadline still bounds it). */
const DOWNLOAD_TIMEOUT_MS = 60_000;

export interface DownloadedDocument extends SpooledFile {
  /** As the storage served it; `application/octet-stream` when it did not say. */
  contentType: string;
}

/**
 * Downloads a document from its presigned link into the temporary storage, at once. A link past its expiry
 * is not even tried; a storage refusing it (400 ExpiredToken, 403, 404: expired, revoked or gone) is final,
 * since Connect has no way to issue a new link for the action: both are UNAVAILABLE. `subject` names the
 * document in messages, e.g. `Document invoice.pdf of order MKP-1`.
 */
export const downloadDocument = async (
  send: HttpSend,
  link: string,
  options: { subject: string; maxBytes: number; now?: number },
): Promise<DownloadedDocument> => {
  const where = describeLink(link);
  if (!/^https?:\/\//i.test(link))
    throw new ActionFailure(ActionErrorCode.INVALID_INPUT, `${options.subject}: its link is not an http(s) URL`);
  const expiry = linkExpiry(link);
  if (expiry && expiry.getTime() <= (options.now ?? Date.now())) {
    throw linkExpired(
      `${options.subject}: its link (${where}) expired at ${expiry.toISOString()}, before the connector could download it`,
    );
  }
  let response: Response;
  try {
    response = await send({
      method: 'GET',
      url: link,
      operation: 'Document download',
      repeatable: true,
      headers: { accept: '*/*' },
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
      download: true,
    });
  } catch (error) {
    if (error instanceof HttpError && error.status !== undefined && !error.transient) {
      const answer = `${error.status}${error.details.code ? ` ${error.details.code}` : ''}`;
      throw linkExpired(
        `${options.subject}: the storage refused its link (${where}) with ${answer}: the link expired or was revoked`,
      );
    }
    throw error;
  }
  if (!response.body)
    throw new ActionFailure(ActionErrorCode.UNAVAILABLE, `${options.subject}: the storage sent no content`, {
      transient: true,
    });
  if (Number(response.headers.get('content-length')) > options.maxBytes) {
    await response.body.cancel();
    throw tooLarge(options.subject, options.maxBytes);
  }
  try {
    const file = await spool(response.body as ReadableStream<Uint8Array>, options.maxBytes);
    return { ...file, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
  } catch (error) {
    if (error instanceof SpoolLimitExceeded) throw tooLarge(options.subject, options.maxBytes);
    throw new ActionFailure(
      ActionErrorCode.UNAVAILABLE,
      `${options.subject}: the download from ${where} broke off (${error instanceof Error ? error.name : 'error'})`,
      {
        transient: true,
        cause: error,
      },
    );
  }
};

const linkExpired = (message: string) =>
  new ActionFailure(
    ActionErrorCode.UNAVAILABLE,
    `${message}. Upload the document again in Mirakl Connect to send a new link.`,
  );

const tooLarge = (subject: string, maxBytes: number) =>
  new ActionFailure(
    ActionErrorCode.INVALID_INPUT,
    `${subject} is larger than ${maxBytes} bytes, the largest document the connector attaches (DOCUMENT_MAX_BYTES)`,
  );
