/** One part of a multipart/form-data body, as sent: its headers' name, file name and type, and its bytes. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  body: Buffer;
}

/**
 * Reads a multipart/form-data body (RFC 7578) keeping what `Request.formData()` drops: the content type of
 * parts without a file name (uploadOrderDocument's JSON parts must say `application/json`). Throws a short
 * reason for a body that is not well formed.
 */
export const parseMultipart = (contentType: string, body: Buffer): FormPart[] => {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!contentType.toLowerCase().startsWith('multipart/form-data') || !marker)
    throw new Error('content-type must be multipart/form-data with a boundary');
  const delimiter = Buffer.from(`--${marker}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  if (start !== 0) throw new Error('the body does not start with the boundary');
  for (;;) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() !== '\r\n')
      throw new Error('a boundary line is not followed by CRLF');
    const headersEnd = body.indexOf('\r\n\r\n', afterDelimiter + 2);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), afterDelimiter);
    if (headersEnd < 0 || next < 0 || headersEnd > next) throw new Error('a part is not terminated by the boundary');
    parts.push(
      partOf(body.subarray(afterDelimiter + 2, headersEnd).toString('utf8'), body.subarray(headersEnd + 4, next)),
    );
    start = next + 2;
  }
};

const partOf = (headerText: string, body: Buffer): FormPart => {
  const headers = new Map(
    headerText.split('\r\n').map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
    }),
  );
  const disposition = headers.get('content-disposition') ?? '';
  const name = /(?:^|;)\s*name="([^"]*)"/.exec(disposition)?.[1];
  if (!/^form-data\b/i.test(disposition) || name === undefined)
    throw new Error('a part has no Content-Disposition: form-data with a name');
  const filename = /;\s*filename="([^"]*)"/.exec(disposition)?.[1];
  const contentType = headers.get('content-type');
  return { name, body, ...(filename !== undefined && { filename }), ...(contentType !== undefined && { contentType }) };
};
