import { basename } from 'node:path';

/** The parts of a CloudFormation template the local stack reads. */
export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
}

export interface TemplateResource {
  Type: string;
  Condition?: string;
  Properties?: Record<string, unknown>;
}

/** A queue, table or bucket: its logical id and its CloudFormation properties, not resolved yet. */
export interface ResourceDeclaration {
  logicalId: string;
  condition?: string;
  properties: Record<string, unknown>;
}

export interface FunctionDeclaration extends ResourceDeclaration {
  /** The serverless.yml function key, e.g. `orderActions` (the name of its zip). */
  key: string;
  /** The deployed function name, e.g. `mirakl-connect-connector-dev-orderActions`. */
  name: string;
  handler: string;
  runtime: string;
  /** The function's zip in the package directory. */
  artifact: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Environment variables, not resolved yet. */
  environment: Record<string, unknown>;
}

/** An event source mapping, with the defaults AWS applies to an SQS source. */
export interface EventSourceDeclaration {
  logicalId: string;
  condition?: string;
  /** The function and the source it links, when the template names them by logical id. */
  functionLogicalId: string | undefined;
  sourceLogicalId: string | undefined;
  enabled: boolean;
  batchSize: number;
  batchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency, when set. */
  maximumConcurrency?: number;
}

const byType = (template: Template, type: string): ResourceDeclaration[] =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => ({
      logicalId,
      ...(resource.Condition && { condition: resource.Condition }),
      properties: resource.Properties ?? {},
    }));

export const queuesOf = (template: Template) => byType(template, 'AWS::SQS::Queue');
export const tablesOf = (template: Template) => byType(template, 'AWS::DynamoDB::Table');
export const bucketsOf = (template: Template) => byType(template, 'AWS::S3::Bucket');

/** Lambda functions, with the defaults AWS applies (3 s, 128 MB). */
export const functionsOf = (template: Template): FunctionDeclaration[] =>
  byType(template, 'AWS::Lambda::Function').map((declaration) => {
    const { properties } = declaration;
    const code = properties.Code as { S3Key?: unknown } | undefined;
    const artifact = basename(String(code?.S3Key ?? `${declaration.logicalId}.zip`));
    const environment =
      (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    return {
      ...declaration,
      key: artifact.replace(/\.zip$/, ''),
      name: String(properties.FunctionName ?? declaration.logicalId),
      handler: String(properties.Handler),
      runtime: String(properties.Runtime),
      artifact,
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memoryMb: Number(properties.MemorySize ?? 128),
      environment,
    };
  });

export const eventSourcesOf = (template: Template): EventSourceDeclaration[] =>
  byType(template, 'AWS::Lambda::EventSourceMapping').map((declaration) => {
    const { properties } = declaration;
    const scaling = properties.ScalingConfig as { MaximumConcurrency?: unknown } | undefined;
    const responseTypes = (properties.FunctionResponseTypes as unknown[] | undefined) ?? [];
    return {
      logicalId: declaration.logicalId,
      ...(declaration.condition && { condition: declaration.condition }),
      functionLogicalId: referencedLogicalId(properties.FunctionName),
      sourceLogicalId: referencedLogicalId(properties.EventSourceArn),
      enabled: properties.Enabled !== false && properties.Enabled !== 'false',
      batchSize: Number(properties.BatchSize ?? 10),
      batchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
      reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
      ...(scaling?.MaximumConcurrency !== undefined && { maximumConcurrency: Number(scaling.MaximumConcurrency) }),
    };
  });

/** An EventBridge schedule rule and the functions it invokes (by logical id). */
export interface ScheduleDeclaration {
  logicalId: string;
  /** e.g. `rate(5 minutes)` or `cron(0 * * * ? *)`. */
  expression: string;
  enabled: boolean;
  functionLogicalIds: string[];
}

export const schedulesOf = (template: Template): ScheduleDeclaration[] =>
  byType(template, 'AWS::Events::Rule').flatMap(({ logicalId, properties }) => {
    const expression = properties.ScheduleExpression;
    if (typeof expression !== 'string') return [];
    const targets = (properties.Targets as Array<{ Arn?: unknown }> | undefined) ?? [];
    return [
      {
        logicalId,
        expression,
        enabled: properties.State !== 'DISABLED',
        functionLogicalIds: targets.flatMap((target) => referencedLogicalId(target.Arn) ?? []),
      },
    ];
  });

/** `{Ref: X}` or `{Fn::GetAtt: [X, ...]}` → X. */
const referencedLogicalId = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
};

/**
 * The queues an outside principal may `sqs:SendMessage` to, by an Allow statement of a queue policy: where
 * Mirakl Connect publishes (the template grants it to Mirakl's IAM principal).
 */
export const publishedQueuesOf = (template: Template): string[] =>
  byType(template, 'AWS::SQS::QueuePolicy').flatMap(({ properties }) => {
    const statements = (properties.PolicyDocument as { Statement?: unknown[] } | undefined)?.Statement ?? [];
    const grantsSend = statements.some((statement) => {
      const { Effect, Action, Principal } = statement as { Effect?: unknown; Action?: unknown; Principal?: unknown };
      const actions = Array.isArray(Action) ? Action : [Action];
      return Effect === 'Allow' && actions.includes('sqs:SendMessage') && Principal !== '*' && Principal !== undefined;
    });
    const queues = (properties.Queues as unknown[] | undefined) ?? [];
    return grantsSend ? queues.flatMap((queue) => referencedLogicalId(queue) ?? []) : [];
  });
