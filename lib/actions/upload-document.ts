import * as z from 'zod';
import {
  ArchivedDocument,
  describeLink,
  discard,
  type DocumentOrigin,
  type DownloadedDocument,
} from '../archive/index.js';
import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';
import { logger } from '../observability.js';
import type { ActionContext } from './action.js';

/** What an UPLOAD_DOCUMENT records before it calls the channel: where its document is archived. */
const DocumentIntent = z.object({ archived: ArchivedDocument });

/**
 * UPLOAD_DOCUMENT: Connect's presigned link → the S3 archive → the channel's order.
 *
 * The link lives minutes, so the document is downloaded and archived first, and the archive key is recorded
 * with the action before the channel is called: a redelivery (the marketplace was down, its answer was lost)
 * attaches from the archive, long after the link expired. The channel confirms instead of attaching twice.
 */
export const uploadDocumentAction = async (
  payload: ActionPayload<'UPLOAD_DOCUMENT'>,
  channel: SalesChannel,
  context: ActionContext,
): Promise<void> => {
  const file = await archivedCopy(payload, context);
  try {
    await channel.attachDocument({
      channelOrderId: payload.channel_order_id,
      documentType: payload.document_type,
      name: payload.document_name,
      entity: payload.document_entity,
      file,
    });
  } finally {
    await discard(file);
  }
};

/** The document in the temporary storage: from the archive when an earlier attempt put it there, else downloaded and archived. */
const archivedCopy = async (
  payload: ActionPayload<'UPLOAD_DOCUMENT'>,
  context: ActionContext,
): Promise<DownloadedDocument> => {
  const ids = { action_id: context.actionId, channel_order_id: payload.channel_order_id };
  const recalled = DocumentIntent.safeParse(await context.intent.recall());
  if (recalled.success) {
    const copy = await context.documents.read(recalled.data.archived);
    if (copy) return copy;
    logger.warn('The archived copy recorded with the action is gone: downloading the document again', {
      ...ids,
      key: recalled.data.archived.key,
    });
  }

  const subject = `Document ${payload.document_name} of order ${payload.channel_order_id}`;
  const downloaded = await context.documents.download(payload.document_download_url, subject);
  try {
    const origin: DocumentOrigin = {
      actionId: context.actionId,
      eventId: context.eventId,
      channelId: payload.channel_id,
      channelOrderId: payload.channel_order_id,
      documentType: payload.document_type,
      documentName: payload.document_name,
    };
    const { archived, created } = await context.documents.store(downloaded, origin);
    await context.intent.remember({ archived });
    logger.info(created ? 'Document archived' : 'Document already in the archive', {
      ...ids,
      key: archived.key,
      size: archived.size,
      sha256: archived.sha256,
      source: describeLink(payload.document_download_url),
    });
    return downloaded;
  } catch (error) {
    await discard(downloaded);
    throw error;
  }
};
