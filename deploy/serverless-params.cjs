'use strict';

/**
 * Package-time checks and derived values for serverless.yml, for what YAML cannot express
 * (a required-unless-dev parameter with a clear message, and arithmetic on parameters).
 * Referenced as `${file(./deploy/serverless-params.cjs):<name>}`; each export receives the
 * Serverless variable resolver and throws a plain message that the CLI prints as is.
 * CommonJS (.cjs): the package is "type": "module"; osls loads this file with require(), Framework v4 with import().
 */

const DEV_STAGE = 'dev';

/** An Error whose stack is its message, so the CLI output is one readable line, not a trace. */
const configError = (message) => {
  const error = new Error(message);
  error.stack = message;
  return error;
};

/** The value of `${param:<name>}`, or undefined when unset or empty. */
const param = async (resolveVariable, name) => {
  const value = await resolveVariable(`param:${name}, null`);
  if (value == null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
};

const wholeNumber = async (resolveVariable, name, min, max) => {
  const text = await param(resolveVariable, name);
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < min || value > max) {
    throw configError(
      `Parameter ${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text ?? null)}).`,
    );
  }
  return value;
};

// An IAM user or role ARN (Mirakl documents an IAM user), or an account root.
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|(user|role)\/[\w+=,.@/-]+)$/;

module.exports = {
  /**
   * Mirakl's IAM principal allowed to sqs:SendMessage on the Connect events queue.
   * Stage dev defaults to Mirakl's documented TEST principal (params.dev); every other stage
   * must name it explicitly: Mirakl's Partner team supplies the PROD principal.
   */
  async connectPublisherArn({ resolveVariable }) {
    const stage = await resolveVariable('sls:stage');
    const arn = await param(resolveVariable, 'connectPublisherArn');
    if (arn === undefined) {
      throw configError(
        `Parameter connectPublisherArn is required for stage "${stage}" (only stage "${DEV_STAGE}" defaults to Mirakl's TEST principal). ` +
          `Pass the IAM principal Mirakl Connect publishes from (the PROD one is supplied by the Mirakl Partner team): ` +
          `--param="connectPublisherArn=arn:aws:iam::<account-id>:user/<name>", or set params.${stage}.connectPublisherArn in serverless.yml.`,
      );
    }
    if (!IAM_PRINCIPAL_ARN.test(arn)) {
      throw configError(
        `Parameter connectPublisherArn must be an IAM user or role ARN such as arn:aws:iam::689046024352:user/public/app-webhook-connect-test (got "${arn}").`,
      );
    }
    return arn;
  },

  /**
   * Visibility timeout of the Connect events queue: AWS asks for at least six times the function
   * timeout plus the batching window, so a batch that is retried by Lambda's poller after a
   * throttle is not redelivered while still in flight.
   */
  async queueVisibilityTimeout({ resolveVariable }) {
    const functionTimeout = await wholeNumber(resolveVariable, 'functionTimeout', 1, 900);
    const batchingWindow = await wholeNumber(resolveVariable, 'maximumBatchingWindow', 0, 300);
    // At most 6 x 900 + 300 = 5700 s, well under the SQS maximum of 43200 s.
    return 6 * functionTimeout + batchingWindow;
  },

  /** Visibility timeout of the anonymization queue, by the same rule, from the anonymization function's parameters. */
  async documentArchiveQueueVisibilityTimeout({ resolveVariable }) {
    return 6 * (await wholeNumber(resolveVariable, 'documentArchiveFunctionTimeout', 1, 900));
  },

  /** Visibility timeout of the order-refresh queue, by the same rule. */
  async orderRefreshQueueVisibilityTimeout({ resolveVariable }) {
    const functionTimeout = await wholeNumber(resolveVariable, 'orderRefreshFunctionTimeout', 1, 900);
    const batchingWindow = await wholeNumber(resolveVariable, 'orderRefreshBatchingWindow', 0, 300);
    return 6 * functionTimeout + batchingWindow;
  },

  /** The import-lag alarm's threshold: the metric is in milliseconds, the parameter in seconds. */
  async importLagAlarmMilliseconds({ resolveVariable }) {
    return 1000 * (await wholeNumber(resolveVariable, 'importLagAlarmSeconds', 1, 86400 * 30));
  },

  /** Visibility timeout of the document-archive queue, by the same rule (no batching window). */
  async anonymizationQueueVisibilityTimeout({ resolveVariable }) {
    const functionTimeout = await wholeNumber(resolveVariable, 'anonymizationFunctionTimeout', 1, 900);
    const batchingWindow = await wholeNumber(resolveVariable, 'anonymizationBatchingWindow', 0, 300);
    return 6 * functionTimeout + batchingWindow;
  },
};
