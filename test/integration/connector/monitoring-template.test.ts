import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetricName } from '../../../lib/observability.js';

/**
 * The alarms, topic, dashboard, tracing switch and log retention of serverless.yml, as `serverless print` resolves
 * them offline (no bundling: packaging runs alone, and other tests package).
 */
type Resource = { Type: string; Condition?: string; Properties: Record<string, unknown> };
type Config = {
  provider: { tracing: { lambda: boolean }; environment: Record<string, string>; logRetentionInDays: number };
  functions: Record<string, { events: Array<{ sqs?: { arn: { 'Fn::GetAtt': [string, string] } } }> }>;
  resources: { Resources: Record<string, Resource>; Conditions: Record<string, unknown> };
};
type Alarm = Record<string, unknown> & { id: string };

const root = fileURLToPath(new URL('../../..', import.meta.url));
const serverless = join(dirname(createRequire(import.meta.url).resolve('osls/package.json')), 'bin', 'serverless.js');

const printed = async (stage: string, ...params: string[]): Promise<Config> => {
  const args = [
    serverless,
    'print',
    '--format',
    'json',
    '--stage',
    stage,
    ...params.map((param) => `--param=${param}`),
  ];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd: root,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
  });
  return JSON.parse(stdout) as Config;
};

let config: Config;
let switched: Config;
let prod: Config;
beforeAll(async () => {
  [config, switched, prod] = await Promise.all([
    printed('dev'),
    printed('dev', 'alarmEmail=ops@example.com', 'tracing=false'),
    printed('prod', 'connectPublisherArn=arn:aws:iam::123456789012:user/connect'),
  ]);
}, 60_000);

/** The logical id serverless gives a function (orderActions → OrderActionsLambdaFunction). */
const functionIds = () =>
  Object.keys(config.functions).map((key) => `${key.charAt(0).toUpperCase()}${key.slice(1)}LambdaFunction`);
const resources = (type: string) =>
  Object.entries(config.resources.Resources).filter(([, resource]) => resource.Type === type);
const alarms = (): Alarm[] =>
  resources('AWS::CloudWatch::Alarm').map(([id, { Properties }]) => ({ id, ...Properties }));
const dashboardBody = (): string => {
  const dashboard = config.resources.Resources.Dashboard;
  if (!dashboard) throw new Error('the template has no Dashboard');
  return (dashboard.Properties.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
};

describe('alarms', () => {
  it('watch every function for errors and throttles', () => {
    for (const functionId of functionIds()) {
      const watching = alarms().filter(
        (alarm) =>
          JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: functionId } }]),
      );
      expect(watching.map((alarm) => alarm.MetricName).sort(), functionId).toEqual(['Errors', 'Throttles']);
    }
  });

  it('watch the depth of every dead-letter queue, and the oldest message of every queue a function consumes', () => {
    const queueOf = (alarm: Alarm) =>
      /"QueueName","Value":\{"Fn::GetAtt":\["(\w+)","QueueName"\]/.exec(JSON.stringify(alarm))?.[1];
    const deadLetterQueues = resources('AWS::SQS::Queue').flatMap(([, queue]) => {
      const target = (
        queue.Properties.RedrivePolicy as { deadLetterTargetArn?: { 'Fn::GetAtt': [string] } } | undefined
      )?.deadLetterTargetArn;
      return target ? [target['Fn::GetAtt'][0]] : [];
    });
    const consumed = Object.values(config.functions).flatMap((fn) =>
      fn.events.flatMap((event) => (event.sqs ? [event.sqs.arn['Fn::GetAtt'][0]] : [])),
    );
    expect(deadLetterQueues.length).toBeGreaterThanOrEqual(3);
    for (const queue of deadLetterQueues) {
      expect(
        alarms().some(
          (alarm) => queueOf(alarm) === queue && JSON.stringify(alarm).includes('ApproximateNumberOfMessagesVisible'),
        ),
        queue,
      ).toBe(true);
    }
    for (const queue of consumed.filter((id) => !deadLetterQueues.includes(id))) {
      expect(
        alarms().some((alarm) => queueOf(alarm) === queue && alarm.MetricName === 'ApproximateAgeOfOldestMessage'),
        queue,
      ).toBe(true);
    }
  });

  it('watch failed reports, expired actions, dead letters, parked orders, import lag and stores unknown to Connect, by metrics the connector publishes', () => {
    const own = alarms().filter((alarm) => alarm.Namespace === 'MiraklConnectConnector');
    expect(own.map((alarm) => alarm.MetricName).sort()).toEqual([
      'DeadLetters',
      'ExpiredActions',
      'ImportConfigurationErrors',
      'ImportLag',
      'OrderSourceConfigurationErrors',
      'OrdersParked',
      'ReportsFailed',
    ]);
    for (const alarm of own) {
      expect(Object.values(MetricName)).toContain(alarm.MetricName);
      expect(alarm.Dimensions).toEqual([{ Name: 'service', Value: 'mirakl-connect-connector' }]);
    }
    expect(config.provider.environment.POWERTOOLS_METRICS_NAMESPACE).toBe('MiraklConnectConnector');
  });

  it('notify an SNS topic with an e-mail subscription only when alarmEmail is set', () => {
    expect(config.resources.Conditions.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    expect(switched.resources.Conditions.HasAlarmEmail).toEqual({
      'Fn::Not': [{ 'Fn::Equals': ['ops@example.com', ''] }],
    });
    expect(switched.resources.Resources.AlarmsEmailSubscription).toMatchObject({
      Condition: 'HasAlarmEmail',
      Properties: { Protocol: 'email', Endpoint: 'ops@example.com' },
    });
    expect(config.resources.Resources.AlarmsTopic?.Condition).toBe('HasAlarmEmail');
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions, alarm.id).toEqual({
        'Fn::If': ['HasAlarmEmail', [{ Ref: 'AlarmsTopic' }], { Ref: 'AWS::NoValue' }],
      });
      expect(alarm.OKActions, alarm.id).toEqual(alarm.AlarmActions);
    }
  });
});

describe('dashboard', () => {
  it('refers only to resources of the template', () => {
    const references = [...dashboardBody().matchAll(/\$\{([\w:]+)(?:\.\w+)?\}/g)].map(([, id]) => id as string);
    expect(references.length).toBeGreaterThan(0);
    for (const id of references.filter((name) => !name.startsWith('AWS::'))) {
      expect(config.resources.Resources[id] !== undefined || functionIds().includes(id), id).toBe(true);
    }
  });

  it('shows every alarm, every function, and every metric of the catalogue', () => {
    const body = dashboardBody();
    for (const alarm of alarms()) expect(body).toContain(`\${${alarm.id}.Arn}`);
    for (const functionId of functionIds()) expect(body).toContain(`\${${functionId}}`);
    for (const name of Object.values(MetricName)) expect(body).toContain(`"${name}"`);
  });
});

describe('tracing and log retention', () => {
  it('traces every function when the stage says so, and not otherwise', () => {
    expect(config.provider.tracing.lambda).toBe(true);
    expect(config.provider.environment.POWERTOOLS_TRACE_ENABLED).toBe('true');
    expect(switched.provider.tracing.lambda).toBe(false);
    expect(switched.provider.environment.POWERTOOLS_TRACE_ENABLED).toBe('false');
  });

  it('keeps logs 30 days, and 90 in prod', () => {
    expect(config.provider.logRetentionInDays).toBe(30);
    expect(prod.provider.logRetentionInDays).toBe(90);
  });
});
