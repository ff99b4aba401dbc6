import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export const DEAD_LETTER_PREFIX = 'dead-letters/';

export interface DeadLetter {
  messageId: string;
  body: string;
  reason: string;
  /** The action id, when the event has a readable one. */
  actionId?: string;
  sentAt: Date;
}

/**
 * Keeps a dead event for replay: `dead-letters/<yyyy-mm-dd>/<action id or message id>.json`, holding the
 * event exactly as received and why it died. The bucket's encryption and access rules apply.
 */
export const archiveDeadLetter = async (s3: S3Client, bucket: string, letter: DeadLetter): Promise<string> => {
  const day = letter.sentAt.toISOString().slice(0, 10);
  const name = letter.actionId ? `action-${safeName(letter.actionId)}` : `message-${safeName(letter.messageId)}`;
  const key = `${DEAD_LETTER_PREFIX}${day}/${name}.json`;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      ContentType: 'application/json',
      ServerSideEncryption: 'AES256',
      Body: JSON.stringify({
        reason: letter.reason,
        message_id: letter.messageId,
        action_id: letter.actionId,
        sent_at: letter.sentAt.toISOString(),
        archived_at: new Date().toISOString(),
        body: letter.body,
      }),
    }),
  );
  return key;
};

const safeName = (id: string) => id.replace(/[^\w.-]/g, '_').slice(0, 200);
