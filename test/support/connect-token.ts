/** A bearer token from a simulated Connect's OAuth2 endpoint, for the local client's credentials. */
export const connectToken = async (authUrl: string): Promise<string> => {
  const response = await fetch(authUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'local-client',
      client_secret: 'local-secret',
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
};
