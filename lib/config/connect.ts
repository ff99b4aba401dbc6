import * as z from 'zod';
import { always, oneOf, text, url } from './read.js';

/** Mirakl Connect: the Channel Platform credentials, and the seller API (v2 order documents). */

export const connectSchema = z
  .object({
    /** Channel Platform base URL. */
    CONNECT_API_URL: url.default('https://miraklconnect.com/api/channel-platform'),
    /** OAuth2 client-credentials token endpoint. */
    CONNECT_AUTH_URL: url.default('https://auth.mirakl.net/oauth/token'),
    CONNECT_CLIENT_ID: text,
    CONNECT_CLIENT_SECRET: text.optional(),
    CONNECT_CLIENT_SECRET_PARAM: text.optional(),
  })
  .superRefine(oneOf('CONNECT_CLIENT_SECRET', 'CONNECT_CLIENT_SECRET_PARAM'), always);

export type ConnectConfig = z.infer<typeof connectSchema>;

/** The seller-side Connect API (v2 order documents), which Channel Platform credentials may not be allowed to call. */
export const connectSellerSchema = z
  .object({
    /** Connect seller API base; the v2 documents call is `{CONNECT_SELLER_API_URL}/v2/orders/{order_id}/documents`. */
    CONNECT_SELLER_API_URL: url.default('https://miraklconnect.com/api'),
    CONNECT_AUTH_URL: url.default('https://auth.mirakl.net/oauth/token'),
    CONNECT_SELLER_CLIENT_ID: text,
    CONNECT_SELLER_CLIENT_SECRET: text.optional(),
    CONNECT_SELLER_CLIENT_SECRET_PARAM: text.optional(),
    /** Sent as the token request's `audience` (the seller's company id), when set. */
    CONNECT_SELLER_AUDIENCE: text.optional(),
  })
  .superRefine(oneOf('CONNECT_SELLER_CLIENT_SECRET', 'CONNECT_SELLER_CLIENT_SECRET_PARAM'), always);

export type ConnectSellerConfig = z.infer<typeof connectSellerSchema>;
