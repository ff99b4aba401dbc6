'use strict';

/**
 * The body of the CloudWatch dashboard of serverless.yml (resources, "Monitoring"), as `Fn::Sub` over its JSON:
 * `${AWS::Region}`, function names (`${OrderActionsLambdaFunction}`), queue names and alarm ARNs are filled in by
 * CloudFormation. Referenced as `${file(./deploy/dashboard.cjs):body}`. Every function of serverless.yml gets its
 * row; the queues and alarms are listed here (the resources cannot be read from inside themselves).
 */

const SOURCE_QUEUES = ['ConnectEventsQueue', 'AnonymizationQueue', 'DocumentArchiveQueue', 'OrderRefreshQueue'];
const QUEUES = [
  ...SOURCE_QUEUES,
  'ConnectEventsDeadLetterQueue',
  'AnonymizationDeadLetterQueue',
  'DocumentArchiveDeadLetterQueue',
  'OrderRefreshDeadLetterQueue',
];
const ALARMS = [
  'ConnectEventsDeadLetterQueueAlarm',
  'AnonymizationDeadLetterQueueAlarm',
  'DocumentArchiveDeadLetterQueueAlarm',
  'ConnectEventsAgeAlarm',
  'AnonymizationAgeAlarm',
  'DocumentArchiveAgeAlarm',
  'OrderRefreshDeadLetterQueueAlarm',
  'OrderRefreshAgeAlarm',
  'OrderActionsErrorsAlarm',
  'OrderActionsThrottlesAlarm',
  'OrderActionsDeadLettersErrorsAlarm',
  'OrderActionsDeadLettersThrottlesAlarm',
  'AnonymizationErrorsAlarm',
  'AnonymizationThrottlesAlarm',
  'DocumentArchiveErrorsAlarm',
  'DocumentArchiveThrottlesAlarm',
  'OrderSyncErrorsAlarm',
  'OrderSyncThrottlesAlarm',
  'OrderRefreshErrorsAlarm',
  'OrderRefreshThrottlesAlarm',
  'ReportsFailedAlarm',
  'ExpiredActionsAlarm',
  'DeadLettersAlarm',
  'OrdersParkedAlarm',
  'ImportLagAlarm',
  'ImportConfigurationErrorsAlarm',
  'OrderSourceConfigurationErrorsAlarm',
];

const PERIOD = 300;
const WIDTH = 8;
const HEIGHT = 6;

/** The logical id serverless gives a function's AWS::Lambda::Function, e.g. orderActions → OrderActionsLambdaFunction. */
const functionLogicalId = (key) =>
  `${key.charAt(0).toUpperCase()}${key.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}LambdaFunction`;

/** Lays the widgets out three to a row. */
const grid = (widgets) =>
  widgets.map((widget, index) => ({
    x: (index % 3) * WIDTH,
    y: Math.floor(index / 3) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
    ...widget,
  }));

const chart = (title, metrics, options = {}) => ({
  type: 'metric',
  properties: { title, region: '${AWS::Region}', view: 'timeSeries', stat: 'Sum', period: PERIOD, metrics, ...options },
});

module.exports = {
  async body({ resolveVariable }) {
    const namespace = await resolveVariable('self:custom.metricsNamespace');
    const service = await resolveVariable('self:service');
    const functionKeys = Object.keys(await resolveVariable('self:functions'));

    const connector = (name, options = {}) => [namespace, name, 'service', service, { label: name, ...options }];
    const search = (dimension, name) => [
      {
        expression: `SEARCH('{${namespace},service,${dimension}} MetricName="${name}" service="${service}"', 'Sum', ${PERIOD})`,
        id: `${dimension}${name}`,
      },
    ];
    const sqs = (name, queue, stat) => ['AWS/SQS', name, 'QueueName', `\${${queue}.QueueName}`, { stat, label: queue }];
    const lambda = (name, key, stat = 'Sum') => [
      'AWS/Lambda',
      name,
      'FunctionName',
      `\${${functionLogicalId(key)}}`,
      { stat, label: stat === 'Sum' ? name : `${name} ${stat}` },
    ];

    const widgets = [
      { type: 'alarm', properties: { title: 'Alarms', alarms: ALARMS.map((alarm) => `\${${alarm}.Arn}`) } },
      chart(
        'Order actions',
        ['ActionsReceived', 'ActionsSucceeded', 'ActionsFailed'].map((name) => connector(name)),
      ),
      chart('Failed actions by error code', [search('code', 'ActionsFailed')]),
      chart('Actions received by type', [search('type', 'ActionsReceived')]),
      chart(
        'End-to-end latency: event time to report (ms)',
        ['p50', 'p90', 'p99', 'Maximum'].map((stat) => connector('EndToEndLatency', { stat, label: stat })),
      ),
      chart(
        'Retries, duplicates, failed reports, expired actions',
        ['Retries', 'DuplicatesSkipped', 'ReportsFailed', 'ExpiredActions'].map((name) => connector(name)),
      ),
      chart('Retries by error code', [search('code', 'Retries')]),
      chart(
        'Dead letters, poison messages, ignored events',
        ['DeadLetters', 'PoisonMessages', 'IgnoredEvents'].map((name) => connector(name)),
      ),
      chart(
        'Queue depth (visible)',
        QUEUES.map((queue) => sqs('ApproximateNumberOfMessagesVisible', queue, 'Maximum')),
      ),
      chart(
        'Oldest message (s)',
        SOURCE_QUEUES.map((queue) => sqs('ApproximateAgeOfOldestMessage', queue, 'Maximum')),
      ),
      chart('Documents archived', [
        connector('DocumentsArchived'),
        connector('ArchiveRequestsWithoutDocuments'),
        connector('DocumentBytesArchived', { yAxis: 'right' }),
      ]),
      chart(
        'Channel documents (marketplace to Connect)',
        [
          'ChannelDocumentsUploaded',
          'ChannelDocumentsDeleted',
          'ChannelDocumentsSkipped',
          'ChannelDocumentEchoesSkipped',
          'ChannelDocumentsAwaitingReturn',
          'ChannelDocumentsFailed',
        ].map((name) => connector(name)),
      ),
      chart(
        'Anonymization',
        [
          'AnonymizationCalls',
          'AnonymizationsApplied',
          'AnonymizationsRejected',
          'AnonymizationsInvalid',
          'AnonymizationRetries',
        ].map((name) => connector(name)),
      ),
      chart(
        'Import into Connect: orders and returns',
        ['OrdersImported', 'ReturnsImported', 'OrdersParked'].map((name) => connector(name)),
      ),
      chart(
        'Import: upsert calls',
        ['UpsertCalls', 'ReturnUpsertCalls'].map((name) => connector(name)),
      ),
      chart(
        'Import lag: MMP change to Connect upsert (ms)',
        ['p50', 'p99', 'Maximum'].map((stat) => connector('ImportLag', { stat, label: stat })),
      ),
      chart(
        'Import: interruptions, stores unknown to Connect',
        ['ImportInterruptions', 'ImportConfigurationErrors'].map((name) => connector(name)),
      ),
      chart('Order source: reads the purchase-order service did not answer (total, by code), credentials refused', [
        connector('OrderSourceReadFailures'),
        connector('OrderSourceConfigurationErrors'),
        search('code', 'OrderSourceReadFailures'),
      ]),
      ...functionKeys.flatMap((key) => [
        chart(`${key}: invocations, errors, throttles`, [
          lambda('Invocations', key),
          lambda('Errors', key),
          lambda('Throttles', key),
        ]),
        chart(`${key}: duration (ms)`, [
          lambda('Duration', key, 'p50'),
          lambda('Duration', key, 'p99'),
          lambda('Duration', key, 'Maximum'),
        ]),
        chart(`${key}: concurrent executions`, [lambda('ConcurrentExecutions', key, 'Maximum')]),
      ]),
    ];
    return { 'Fn::Sub': JSON.stringify({ widgets: grid(widgets) }) };
  },
};
