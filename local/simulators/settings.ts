/** The connector's settings that point it at the simulators, with the simulators' default credentials. */
export const connectSettings = (connect: { apiUrl: string; authUrl: string }) => ({
  CONNECT_API_URL: connect.apiUrl,
  CONNECT_AUTH_URL: connect.authUrl,
  CONNECT_CLIENT_ID: 'local-client',
  CONNECT_CLIENT_SECRET: 'local-secret',
});

export const mmpSettings = (mmp: { url: string }) => ({
  MMP_API_URL: mmp.url,
  MMP_API_KEY: 'local-mmp-key',
});

/** The seller-API client of the simulated Connect (v2 documents), for documentArchive's `connect` source. */
export const connectSellerSettings = (connect: { url: string }) => ({
  CONNECT_SELLER_API_URL: `${connect.url}/api`,
  CONNECT_SELLER_CLIENT_ID: 'local-seller-client',
  CONNECT_SELLER_CLIENT_SECRET: 'local-seller-secret',
  CONNECT_SELLER_AUDIENCE: 'local-seller-company',
});

/** The purchase-order service and its OAuth2 client (ORDER_SOURCE stays `mmp` unless set). */
export const purchaseOrderSettings = (service: {
  url: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
}) => ({
  PURCHASE_ORDER_API_URL: service.url,
  PURCHASE_ORDER_AUTH_URL: service.authUrl,
  PURCHASE_ORDER_CLIENT_ID: service.clientId,
  PURCHASE_ORDER_CLIENT_SECRET: service.clientSecret,
});

/** The operations API, documentArchive's `operations` source. */
export const operationsSettings = (api: { apiUrl: string; token: string }) => ({
  OPERATIONS_API_URL: api.apiUrl,
  OPERATIONS_API_TOKEN: api.token,
});
