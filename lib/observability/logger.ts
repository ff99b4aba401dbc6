import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import { currentRecordIds } from './record-context.js';

/**
 * Powertools' logger, with every line written while a record is handled carrying that record's ids
 * (see observeRecord); ids passed with the line itself take precedence.
 */
class ConnectorLogger extends Logger {
  protected override createAndPopulateLogItem(logLevel: number, input: LogItemMessage, extraInput: LogItemExtraInput) {
    return super.createAndPopulateLogItem(logLevel, input, [
      { ...currentRecordIds() },
      ...extraInput,
    ] as LogItemExtraInput);
  }
}

/**
 * One logger for the whole connector. Log lines carry ids and short reasons (event id, action_id,
 * channel_order_id, store), never customer data, request bodies or tokens.
 */
export const logger: Logger = new ConnectorLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mirakl-connect-connector',
});

export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
