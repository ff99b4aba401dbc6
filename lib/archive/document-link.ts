/**
 * Connect's `document_download_url` is a presigned link that stops working after a while (the vendor example is
 * a Cloud Storage V4 URL, `X-Goog-Date=20181026T181309Z&X-Goog-Expires=900`). When it stops is in its query:
 * V4 links (Cloud Storage `X-Goog-*`, S3 `X-Amz-*`) carry the signing time and a lifetime in seconds, V2 links
 * an `Expires` epoch second. Undefined when the link says nothing readable: then only the download tells.
 */
export const linkExpiry = (link: string): Date | undefined => {
  const query = queryOf(link);
  if (!query) return undefined;
  for (const vendor of ['goog', 'amz']) {
    const signedAt = parseBasicIsoDate(query.get(`x-${vendor}-date`));
    const lifetime = wholeNumber(query.get(`x-${vendor}-expires`));
    if (signedAt !== undefined && lifetime !== undefined) return new Date(signedAt + lifetime * 1000);
  }
  const expires = wholeNumber(query.get('expires'));
  return expires === undefined ? undefined : new Date(expires * 1000);
};

/** Where a link points, for logs and messages: host and path, never the query (it holds the signature). */
export const describeLink = (link: string): string => {
  try {
    const url = new URL(link);
    return `${url.host}${url.pathname}`;
  } catch {
    return 'an unreadable link';
  }
};

/** Query parameters by lower-cased name (signers differ in case). */
const queryOf = (link: string): Map<string, string> | undefined => {
  try {
    return new Map([...new URL(link).searchParams].map(([name, value]) => [name.toLowerCase(), value]));
  } catch {
    return undefined;
  }
};

/** `20181026T181309Z` (ISO 8601 basic format, UTC), as V4 signatures write it. */
const parseBasicIsoDate = (value: string | undefined): number | undefined => {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!parts) return undefined;
  const [year, month, day, hours, minutes, seconds] = parts.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(year, month - 1, day, hours, minutes, seconds);
};

const wholeNumber = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d{1,12}$/.test(value) ? Number(value) : undefined;
