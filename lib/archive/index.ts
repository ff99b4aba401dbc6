import { S3Client } from '@aws-sdk/client-s3';

export { archiveDeadLetter, DEAD_LETTER_PREFIX } from './dead-letters.js';
export type { DeadLetter } from './dead-letters.js';

/** Local S3 servers need path-style URLs (`S3_FORCE_PATH_STYLE`); AWS does not. */
export const createS3Client = (forcePathStyle: boolean) => new S3Client({ forcePathStyle });
