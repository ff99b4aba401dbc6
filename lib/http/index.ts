export { createHttpClient, defaultHttpClientOptions, parseRetryAfter } from './client.js';
export type { HttpClientOptions, HttpRequest, HttpSend } from './client.js';
export { currentDeadline, timeLeft, withDeadline } from './deadline.js';
export { HttpError } from './errors.js';
export { multipartBody } from './multipart.js';
export type { FormPart, StreamedBody } from './multipart.js';
export { sendBuffered } from './buffered-request.js';
export { sendStreamed } from './streamed-request.js';
