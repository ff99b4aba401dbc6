import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { DEAD_LETTER_PREFIX } from '../archive/index.js';

/** An archived dead letter, as archiveDeadLetter wrote it. */
const ArchivedDeadLetter = z.object({
  reason: z.string(),
  message_id: z.string(),
  action_id: z.string().optional(),
  sent_at: z.string(),
  archived_at: z.string(),
  body: z.string(),
});
export type ArchivedDeadLetter = z.infer<typeof ArchivedDeadLetter> & { key: string };

/** The most dead letters one listing reads. */
const MAX_LISTED = 200;

/** The dead letters orderActionsDeadLetters settled and archived (`dead-letters/<yyyy-mm-dd>/...`), for replay. */
export const createDeadLetterArchive = (s3: S3Client, bucket: string) => {
  const read = async (key: string): Promise<ArchivedDeadLetter> => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await object.Body?.transformToString()) ?? '';
    const parsed = ArchivedDeadLetter.safeParse(JSON.parse(text || '{}'));
    if (!parsed.success) throw new Error(`${key} is not an archived dead letter`);
    return { ...parsed.data, key };
  };

  return {
    read,

    /** The dead letters of one day (the day the event was first sent), or of every day; the latest first. */
    async list(day?: string): Promise<{ letters: ArchivedDeadLetter[]; more: boolean }> {
      const keys: Array<{ key: string; modified: number }> = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: `${DEAD_LETTER_PREFIX}${day ? `${day}/` : ''}`,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? [])
          keys.push({ key: object.Key as string, modified: object.LastModified?.getTime() ?? 0 });
        token = page.NextContinuationToken;
      } while (token);
      const latest = keys.sort((a, b) => b.modified - a.modified).slice(0, MAX_LISTED);
      return { letters: await Promise.all(latest.map(({ key }) => read(key))), more: keys.length > latest.length };
    },
  };
};
