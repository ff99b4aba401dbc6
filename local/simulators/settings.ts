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
