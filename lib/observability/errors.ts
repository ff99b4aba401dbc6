/**
 * An unexpected error as it may be logged: its name and where it was thrown, not its message. The message of an
 * error nobody foresaw may quote the data that caused it (JSON.parse quotes the text it could not read, a
 * ZodError the values it refused), and a marketplace's answers hold customers' names and addresses.
 */
export const errorForLog = (error: unknown): { name: string; stack?: string } => {
  if (!(error instanceof Error)) return { name: typeof error };
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return { name: error.name, ...(frames.length > 0 && { stack: frames.map((line) => line.trim()).join('\n') }) };
};
