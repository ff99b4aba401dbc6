import { createReadStream } from 'node:fs';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import * as z from 'zod';
import type { HttpSend } from '../http/index.js';
import { count, measure, MetricName, MetricUnit } from '../observability.js';
import { ActionErrorCode, ActionFailure } from '../outcome.js';
import { contentDisposition, documentKeys, documentMetadata, type DocumentOrigin } from './document-keys.js';
import { downloadDocument, type DownloadedDocument } from './download.js';
import { discard, spool, SpoolLimitExceeded } from './spool.js';

/** Where a document was archived and what it was: recorded with the action before the channel is called. */
export const ArchivedDocument = z.object({
  key: z.string(),
  sha256: z.string(),
  size: z.number(),
  contentType: z.string(),
});
export type ArchivedDocument = z.infer<typeof ArchivedDocument>;

export interface DocumentArchive {
  /** Downloads a document from Connect's presigned link into the temporary storage (see downloadDocument). */
  download(link: string, subject: string): Promise<DownloadedDocument>;
  /** Archives a downloaded document under its key, once: an identical document already there is kept as it is. */
  store(file: DownloadedDocument, origin: DocumentOrigin): Promise<{ archived: ArchivedDocument; created: boolean }>;
  /** Copies an archived document back into the temporary storage; undefined when it is no longer in the archive. */
  read(archived: ArchivedDocument): Promise<DownloadedDocument | undefined>;
}

/**
 * The document archive, in `DOCUMENTS_BUCKET` under `documents/`. A document is written with a conditional put
 * (`If-None-Match: *`), so a key is written once and an identical re-delivery never adds an object or a version.
 * The put is preceded by a HeadObject comparing the `sha256` metadata: it finds the identical copy without a
 * failed write, and it is what keeps the archive write-once on local S3 servers that ignore the condition
 * (fauxqs 1.9). The object is encrypted (SSE-S3) and S3 checks its SHA-256 on arrival.
 */
export const createDocumentArchive = (options: {
  s3: S3Client;
  bucket: string;
  send: HttpSend;
  maxBytes: number;
}): DocumentArchive => {
  const { s3, bucket } = options;

  /** The `sha256` metadata of the object at `key`; empty for an object without it, undefined for no object. */
  const sha256At = async (key: string): Promise<string | undefined> => {
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.Metadata?.sha256 ?? '';
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  };

  const put = (key: string, file: DownloadedDocument, origin: DocumentOrigin) =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: createReadStream(file.path),
        ContentLength: file.size,
        ContentType: file.contentType,
        ContentDisposition: contentDisposition(origin.documentName),
        ChecksumSHA256: Buffer.from(file.sha256, 'hex').toString('base64'),
        ServerSideEncryption: 'AES256',
        Metadata: documentMetadata(origin, file),
        IfNoneMatch: '*',
      }),
    );

  /** Writes the document at `key` unless something is there: `same` when it is this very document. */
  const claim = async (
    key: string,
    file: DownloadedDocument,
    origin: DocumentOrigin,
  ): Promise<'created' | 'same' | 'taken'> => {
    const existing = await sha256At(key);
    if (existing !== undefined) return existing === file.sha256 ? 'same' : 'taken';
    try {
      await put(key, file, origin);
      return 'created';
    } catch (error) {
      // 412: written since the HeadObject; 409: a concurrent conditional write on the same key.
      if (statusOf(error) !== 412 && statusOf(error) !== 409) throw error;
      return (await sha256At(key)) === file.sha256 ? 'same' : 'taken';
    }
  };

  return {
    download: (link, subject) => downloadDocument(options.send, link, { subject, maxBytes: options.maxBytes }),

    async store(file, origin) {
      for (const key of documentKeys(origin, file.sha256)) {
        const claimed = await claim(key, file, origin);
        if (claimed === 'created') {
          count(MetricName.DocumentsArchived);
          measure(MetricName.DocumentBytesArchived, MetricUnit.Bytes, file.size);
        }
        if (claimed !== 'taken') {
          return {
            archived: { key, sha256: file.sha256, size: file.size, contentType: file.contentType },
            created: claimed === 'created',
          };
        }
      }
      throw new ActionFailure(
        ActionErrorCode.UNEXPECTED,
        `Document ${origin.documentName} of order ${origin.channelOrderId}: its archive keys are taken by other documents`,
      );
    },

    async read(archived) {
      let body: Readable;
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: archived.key }));
        body = object.Body as Readable;
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
      const file = await spool(body, archived.size).catch((error: unknown) => {
        if (error instanceof SpoolLimitExceeded) return undefined;
        throw error;
      });
      if (!file || file.sha256 !== archived.sha256) {
        if (file) await discard(file);
        throw new ActionFailure(
          ActionErrorCode.UNEXPECTED,
          `The archived copy ${archived.key} does not match the SHA-256 recorded when it was written`,
        );
      }
      return { ...file, contentType: archived.contentType };
    },
  };
};

const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
