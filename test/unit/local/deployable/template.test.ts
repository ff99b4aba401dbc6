import { describe, expect, it } from 'vitest';
import { createResolver, TemplateResolutionError } from '../../../../local/deployable/intrinsics.js';
import {
  eventSourcesOf,
  functionsOf,
  publishedQueuesOf,
  type Template,
} from '../../../../local/deployable/template.js';
import { localNames, type LocalResource } from '../../../../local/aws/resources.js';

const queue: LocalResource = {
  kind: 'queue',
  logicalId: 'Events',
  name: 'svc-dev-events',
  arn: 'arn:aws:sqs:eu-west-1:000000000000:svc-dev-events',
  url: 'http://127.0.0.1:1/000000000000/svc-dev-events',
};
const table: LocalResource = {
  kind: 'table',
  logicalId: 'Table',
  name: 'svc-dev-table',
  arn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/svc-dev-table',
};
const { resolve } = createResolver(
  localNames(
    new Map([
      ['Events', queue],
      ['Table', table],
    ]),
  ),
  {
    HasStores: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] },
  },
);

describe('CloudFormation values, resolved against the local resources', () => {
  it('answers Ref and Fn::GetAtt as CloudFormation does: queue URL, table name, ARNs', () => {
    expect(resolve({ Ref: 'Events' })).toBe(queue.url);
    expect(resolve({ Ref: 'Table' })).toBe('svc-dev-table');
    expect(resolve({ 'Fn::GetAtt': ['Events', 'Arn'] })).toBe(queue.arn);
    expect(resolve({ 'Fn::GetAtt': 'Events.QueueName' })).toBe('svc-dev-events');
  });

  it('substitutes pseudo parameters, resources and attributes in Fn::Sub, joins, and follows conditions', () => {
    expect(
      resolve({
        'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Events.QueueName}/${!Literal}',
      }),
    ).toBe('arn:aws:sqs:eu-west-1:000000000000:svc-dev-events/${Literal}');
    expect(resolve({ 'Fn::Join': ['/', [{ Ref: 'Table' }, 'index']] })).toBe('svc-dev-table/index');
    expect(resolve({ 'Fn::If': ['HasStores', 'multi', 'single'] })).toBe('single');
    expect(resolve({ A: 1, B: { Ref: 'AWS::NoValue' }, C: ['x', { Ref: 'AWS::NoValue' }] })).toEqual({
      A: 1,
      C: ['x'],
    });
  });

  it('refuses what the local stack does not have, saying what', () => {
    expect(() => resolve({ Ref: 'SomeRole' })).toThrow(
      new TemplateResolutionError('Ref SomeRole: not a queue, table, bucket or function of the local stack'),
    );
    expect(() => resolve({ 'Fn::ImportValue': 'x' })).toThrow('Fn::ImportValue is not supported by the local stack');
  });
});

describe('what the local stack reads from a template', () => {
  const template: Template = {
    Resources: {
      EventsPolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'Events' }],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::123456789012:user/publisher' },
                Action: 'sqs:SendMessage',
              },
              { Effect: 'Deny', Principal: '*', Action: 'sqs:*' },
            ],
          },
        },
      },
      OtherPolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'Other' }],
          PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:*' }] },
        },
      },
      WorkerLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Handler: 'functions/worker.handler',
          Runtime: 'nodejs22.x',
          FunctionName: 'svc-dev-worker',
          Code: { S3Key: 'serverless/svc/dev/123/worker.zip' },
        },
      },
      WorkerMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['Events', 'Arn'] },
          FunctionName: { 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] },
        },
      },
    },
  };

  it('finds the queue open to an outside publisher', () => {
    expect(publishedQueuesOf(template)).toEqual(['Events']);
  });

  it('reads functions and their SQS event sources with the defaults AWS applies', () => {
    expect(functionsOf(template)).toEqual([
      expect.objectContaining({
        key: 'worker',
        name: 'svc-dev-worker',
        artifact: 'worker.zip',
        timeoutSeconds: 3,
        memoryMb: 128,
        environment: {},
      }),
    ]);
    expect(eventSourcesOf(template)).toEqual([
      {
        logicalId: 'WorkerMapping',
        functionLogicalId: 'WorkerLambdaFunction',
        sourceLogicalId: 'Events',
        enabled: true,
        batchSize: 10,
        batchingWindowSeconds: 0,
        reportBatchItemFailures: false,
      },
    ]);
  });
});
