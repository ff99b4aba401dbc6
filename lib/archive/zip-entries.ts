import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipEntry {
  /** The entry's name as stored (UTF-8 or CP437 decoded by yauzl), folders included. */
  name: string;
  size: number;
}

/**
 * Reads a ZIP file in the temporary storage entry by entry, from its central directory (yauzl), and hands each
 * file's content to `handle` as a stream, one at a time: memory use is that of a few chunks whatever the size.
 * yauzl refuses unsafe names (absolute, `..`) and checks every entry's size and CRC. Returns the files read.
 */
export const eachZipEntry = (
  path: string,
  handle: (entry: ZipEntry, content: Readable) => Promise<void>,
): Promise<number> =>
  new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error('unreadable ZIP'));
      let files = 0;
      const fail = (error: unknown) => {
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, content) => {
          if (streamError || !content) return fail(streamError ?? new Error(`unreadable ZIP entry ${entry.fileName}`));
          files += 1;
          handle({ name: entry.fileName, size: entry.uncompressedSize }, content).then(() => zip.readEntry(), fail);
        });
      });
      zip.readEntry();
    });
  });
