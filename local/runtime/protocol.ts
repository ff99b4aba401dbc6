/** What Lambda reports of a function error: the error's name, message and stack. */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  stack?: string;
}

/** Messages from the local stack to a container (over the child process's IPC channel). */
export type ContainerRequest = { kind: 'invoke'; requestId: string; event: unknown; deadline: number };

/** Messages from a container to the local stack. */
export type ContainerReply =
  | { kind: 'ready' }
  | { kind: 'init-error'; error: FunctionError }
  | { kind: 'response'; requestId: string; payload: unknown }
  | { kind: 'error'; requestId: string; error: FunctionError };

export const toFunctionError = (error: unknown): FunctionError =>
  error instanceof Error
    ? { errorType: error.name, errorMessage: error.message, ...(error.stack && { stack: error.stack }) }
    : { errorType: 'Error', errorMessage: String(error) };
