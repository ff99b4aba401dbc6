import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { traced } from './observability.js';

/** Powertools' SSM provider (its cache is per container), with the SDK client traced; made when a secret is first read from SSM. */
let parameters: SSMProvider | undefined;
const ssmParameters = () => (parameters ??= new SSMProvider({ awsSdkV3Client: traced(new SSMClient({})) }));

/** A secret read at run time: from the environment locally, from SSM SecureString in AWS (cached). */
export interface Secret {
  value(): Promise<string>;
  /** Forget the cached value, e.g. after the remote side answered 401 (the secret was rotated). */
  refresh(): void;
}

export const literalSecret = (value: string): Secret => ({
  value: async () => value,
  refresh: () => undefined,
});

export const ssmSecret = (name: string, maxAgeSeconds: number): Secret => {
  let forceFetch = false;
  return {
    async value() {
      const value = await ssmParameters().get(name, { decrypt: true, maxAge: maxAgeSeconds, forceFetch });
      forceFetch = false;
      if (!value) throw new Error(`SSM parameter ${name} is empty or missing`);
      return value;
    },
    refresh() {
      forceFetch = true;
    },
  };
};

/** `NAME` (the secret itself) or `NAME_PARAM` (its SSM name): config validation guarantees one of them. */
export const secretFrom = (
  literal: string | undefined,
  paramName: string | undefined,
  maxAgeSeconds: number,
): Secret => {
  if (literal !== undefined) return literalSecret(literal);
  if (paramName !== undefined) return ssmSecret(paramName, maxAgeSeconds);
  throw new Error('secretFrom needs a value or an SSM parameter name');
};
