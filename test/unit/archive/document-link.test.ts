import { describe, expect, it } from 'vitest';
import { describeLink, linkExpiry } from '../../../lib/archive/index.js';
import { vendorExample } from '../../fixtures/events.js';

describe('linkExpiry', () => {
  it('reads the vendor example: a Cloud Storage V4 link signed 2018-10-26 18:13:09 for 900 s', () => {
    const link = vendorExample('UPLOAD_DOCUMENT').data.document_download_url as string;
    expect(linkExpiry(link)?.toISOString()).toBe('2018-10-26T18:28:09.000Z');
  });

  it('reads S3 SigV4 links, V2 links, and parameter names in any case', () => {
    expect(
      linkExpiry(
        'https://b.s3.amazonaws.com/k?X-Amz-Date=20260708T081000Z&X-Amz-Expires=300&X-Amz-Signature=ab',
      )?.toISOString(),
    ).toBe('2026-07-08T08:15:00.000Z');
    expect(
      linkExpiry('https://storage.googleapis.com/b/k?GoogleAccessId=x&Expires=1783500000&Signature=ab')?.toISOString(),
    ).toBe('2026-07-08T08:40:00.000Z');
    expect(linkExpiry('https://x/k?x-goog-date=20260708T081000Z&x-goog-expires=60')?.toISOString()).toBe(
      '2026-07-08T08:11:00.000Z',
    );
  });

  it('says nothing when the link does not tell', () => {
    expect(linkExpiry('https://documents.example.com/label.pdf')).toBeUndefined();
    expect(linkExpiry('https://x/k?X-Goog-Date=yesterday&X-Goog-Expires=900')).toBeUndefined();
    expect(linkExpiry('not a link')).toBeUndefined();
  });
});

describe('describeLink', () => {
  it('names host and path, never the query that holds the signature', () => {
    expect(describeLink('https://storage.googleapis.com/bucket/document/4f69?X-Goog-Signature=secret')).toBe(
      'storage.googleapis.com/bucket/document/4f69',
    );
  });
});
