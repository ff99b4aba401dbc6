/** The region and account of the local AWS servers: fauxqs names every queue ARN with this account. */
export const LOCAL_REGION = 'eu-west-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
