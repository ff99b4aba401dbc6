/**
 * What the process writes to stdout and stderr while capturing: the bytes Powertools' logger and metrics write
 * (through their own `Console` on these streams), not calls to their methods. Nothing reaches the terminal.
 */
export const captureOutput = () => {
  const chunks: string[] = [];
  const restores = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    }) as typeof stream.write;
    return () => {
      stream.write = write;
    };
  });
  return {
    text: () => chunks.join(''),
    /** The lines that are JSON objects (log lines and EMF blobs). */
    json: (): Array<Record<string, unknown>> =>
      chunks
        .join('')
        .split('\n')
        .flatMap((line) => {
          try {
            const value: unknown = JSON.parse(line);
            return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
          } catch {
            return [];
          }
        }),
    stop: () => {
      for (const restore of restores) restore();
    },
  };
};
