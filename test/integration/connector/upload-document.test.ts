import { randomBytes } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollOnce } from '../../../local/lambda/invoke.js';
import { startDocumentStorage, type DocumentStorage } from '../../../local/simulators/document-storage.js';
import { documentEvent } from '../../fixtures/events.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { sha256 } from '../../support/bytes.js';

let stack: TestStack;
let storage: DocumentStorage;
beforeAll(async () => {
  stack = await startTestStack();
  storage = await startDocumentStorage();
});
afterAll(async () => {
  await storage?.close();
  await stack?.stop();
});
beforeEach(() => {
  stack.connect.reset();
  stack.mmp.reset();
  storage.reset();
});

const VENDOR_NAME = '汉chinese字_return_label.pdf';
const RETURN_ID = 'f3eb7305-e629-4087-ae31-6e2d7c199283';

let orders = 0;
const newOrder = () => {
  const orderId = `DOC-${(orders += 1)}-${Date.now().toString(36)}`;
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: 'SHIPPED',
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });
  return orderId;
};
/** An order document (no entity) of `type`, named `name`, stored now. */
const orderDocument = (orderId: string, type: string, name: string, size = 1000) =>
  documentEvent(orderId, storage.put({ body: randomBytes(size) }), {
    document_name: name,
    document_type: type,
    document_entity_id: undefined,
    document_entity_type: undefined,
  });
const mmpCalls = () => stack.mmp.requests().map((request) => `${request.route} ${request.status}`);
const actionOf = (actionId: unknown) => stack.connect.actions().find((action) => action.actionId === actionId);
const archived = async (orderId: string) => {
  const { Contents = [] } = await stack.aws.s3.send(
    new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: `documents/0024/${orderId}/` }),
  );
  return Contents.map((object) => object.Key as string);
};
const objectAt = async (key: string) => {
  const object = await stack.aws.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
  return { ...object, bytes: await (object.Body?.transformToByteArray() ?? new Uint8Array()) };
};
const poll = (handler = stack.orderActions()) =>
  pollOnce({ sqs: stack.aws.sqs, ...stack.queue, handler, functionName: 'orderActions' });

describe('UPLOAD_DOCUMENT: presigned link → S3 archive → MMP OR74', () => {
  it('archives the vendor example (a return label with a non-ASCII name) and attaches the same bytes to the order', async () => {
    const orderId = newOrder();
    const body = randomBytes(300_000);
    const event = documentEvent(orderId, storage.put({ body, contentType: 'application/pdf' }));
    await stack.connect.publish(event);

    await stack.drain();

    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(mmpCalls()).toEqual(['OR72 200', 'OR74 200']);
    const [attached, ...others] = stack.mmp.documents(orderId);
    expect(others).toEqual([]);
    expect(attached).toMatchObject({
      type: 'SYSTEM_RETURN_LABEL',
      entity: { id: RETURN_ID, type: 'RETURN' },
      file_size: body.length,
      sha256: sha256(body),
    });
    expect(attached?.file_name).toMatch(/^chinese_return_label-[0-9a-f]{6}\.pdf$/);

    const [key, ...more] = await archived(orderId);
    expect(more).toEqual([]);
    expect(key).toBe(`documents/0024/${orderId}/RETURN_LABEL/${attached?.file_name}`);
    const object = await objectAt(key as string);
    expect(sha256(object.bytes)).toBe(sha256(body));
    expect(object.ContentType).toBe('application/pdf');
    expect(object.Metadata).toEqual({
      'action-id': event.data.action_id,
      'event-id': event.id,
      'document-type': 'RETURN_LABEL',
      'original-name': encodeURIComponent(VENDOR_NAME),
      'content-type': encodeURIComponent('application/pdf'),
      size: String(body.length),
      sha256: sha256(body),
    });
    expect(decodeURIComponent(object.Metadata?.['original-name'] ?? '')).toBe(VENDOR_NAME);

    // The key was recorded with the action, for a retry after the link expired.
    const { Item } = await stack.aws.dynamodb.send(
      new GetItemCommand({
        TableName: stack.env.IDEMPOTENCY_TABLE,
        Key: { id: { S: `intent#${String(event.data.action_id)}` } },
      }),
    );
    expect(JSON.parse(Item?.intent?.S ?? '{}')).toEqual({
      archived: { key, sha256: sha256(body), size: body.length, contentType: 'application/pdf' },
    });
  });

  it('attaches an invoice without an entity, its type mapped to the marketplace code', async () => {
    const orderId = newOrder();
    const event = orderDocument(orderId, 'CUSTOMER_INVOICE', 'invoice_MKP-000123-A.pdf');
    await stack.connect.publish(event);

    await stack.drain();

    expect(actionOf(event.data.action_id)?.status).toBe('SUCCESS');
    expect(stack.mmp.documents(orderId)).toEqual([
      expect.objectContaining({ file_name: 'invoice_MKP-000123-A.pdf', type: 'CUSTOMER_INVOICE' }),
    ]);
    expect(stack.mmp.documents(orderId)[0]?.entity).toBeUndefined();
    expect(await archived(orderId)).toEqual([`documents/0024/${orderId}/CUSTOMER_INVOICE/invoice_MKP-000123-A.pdf`]);
  });

  it('gives a duplicate, or the same document sent again as a new action, no second object and no second OR74', async () => {
    const orderId = newOrder();
    const body = randomBytes(20_000);
    const first = documentEvent(orderId, storage.put({ body }));
    const again = documentEvent(orderId, storage.put({ body }));
    await stack.connect.publish(first, { duplicates: 2 });
    await stack.drain();
    await stack.connect.publish(again);
    await stack.drain();

    expect(actionOf(first.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(actionOf(again.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(mmpCalls().filter((call) => call.startsWith('OR74'))).toEqual(['OR74 200']);
    expect(stack.mmp.documents(orderId)).toHaveLength(1);
    const keys = await archived(orderId);
    expect(keys).toHaveLength(1);
    // Not overwritten: the object still names the action that wrote it.
    expect((await objectAt(keys[0] as string)).Metadata?.['action-id']).toBe(first.data.action_id);
    expect(storage.downloads()).toHaveLength(2);
  });

  it('reports an expired link FAILED UNAVAILABLE without downloading or calling the marketplace', async () => {
    const orderId = newOrder();
    const link = storage.put(
      { body: randomBytes(100) },
      { expiresInSeconds: 900, signedAt: new Date(Date.now() - 3_600_000) },
    );
    const event = documentEvent(orderId, link);
    await stack.connect.publish(event);

    await stack.drain();

    const action = actionOf(event.data.action_id);
    expect(action).toMatchObject({ status: 'FAILED', errors: [{ code: 'UNAVAILABLE' }] });
    expect(action?.errors?.[0]?.message).toMatch(
      /link \(127\.0\.0\.1:\d+\/mirakl-connect-documents\/connect-order\/document\/[\w-]+\) expired at /,
    );
    expect(action?.errors?.[0]?.message).not.toContain('X-Goog-Signature');
    expect(storage.downloads()).toEqual([]);
    expect(stack.mmp.requests()).toEqual([]);
    expect(await archived(orderId)).toEqual([]);
  });

  it.each([
    [
      '400 ExpiredToken (the storage clock says it expired)',
      () => storage.setClockOffset(3_600_000),
      '400 ExpiredToken',
    ],
    ['404 NoSuchKey (the document is gone)', (link: string) => storage.remove(link), '404 NoSuchKey'],
  ])(
    'reports a link the storage refuses with %s FAILED UNAVAILABLE, without calling the marketplace',
    async (_, refuse, answer) => {
      const orderId = newOrder();
      const link = storage.put({ body: randomBytes(100) });
      refuse(link);
      const event = documentEvent(orderId, link);
      await stack.connect.publish(event);

      await stack.drain();

      expect(actionOf(event.data.action_id)).toMatchObject({
        status: 'FAILED',
        errors: [
          { code: 'UNAVAILABLE', message: expect.stringContaining(`with ${answer}: the link expired or was revoked`) },
        ],
      });
      expect(stack.mmp.requests()).toEqual([]);
    },
  );

  it('attaches from the archive when a retry comes after the link expired', async () => {
    const orderId = newOrder();
    const body = randomBytes(50_000);
    const link = storage.put({ body });
    const event = documentEvent(orderId, link);
    await stack.connect.publish(event);
    stack.mmp.injectFault({ route: 'OR74', status: 503, times: 1 });

    expect((await poll()).failed).toHaveLength(1);
    storage.setClockOffset(3_600_000);
    storage.remove(link);
    await stack.drain();

    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(storage.downloads()).toHaveLength(1);
    expect(mmpCalls()).toEqual(['OR72 200', 'OR74 503', 'OR72 200', 'OR74 200']);
    expect(stack.mmp.documents(orderId).map((document) => document.sha256)).toEqual([sha256(body)]);
  });

  it('confirms instead of uploading again when the OR74 response was lost', async () => {
    const orderId = newOrder();
    const event = documentEvent(orderId, storage.put({ body: randomBytes(10_000) }));
    await stack.connect.publish(event);
    stack.mmp.injectFault({ route: 'OR74', dropConnectionAfterApplying: true, times: 1 });

    await stack.drain();

    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(mmpCalls()).toEqual(['OR72 200', 'OR74 200', 'OR72 200']);
    expect(stack.mmp.documents(orderId)).toHaveLength(1);
  });

  it('reports FAILED with the marketplace reason when OR74 answers 200 with errors_count > 0', async () => {
    const orderId = newOrder();
    const event = documentEvent(orderId, storage.put({ body: randomBytes(100) }));
    await stack.connect.publish(event);

    await stack.drain({ handler: stack.orderActions({ MMP_DOCUMENT_TYPE_CODES: '{"RETURN_LABEL": "RETURN_LABEL"}' }) });

    const [error] = actionOf(event.data.action_id)?.errors ?? [];
    expect(error?.code).toBe('INVALID_INPUT');
    expect(error?.message).toMatch(
      new RegExp(
        `^MMP OR74 refused document chinese_return_label-[0-9a-f]{6}\\.pdf of order ${orderId} with type RETURN_LABEL \\(MMP_DOCUMENT_TYPE_CODES maps RETURN_LABEL to it\\): valid_order_document\\.type \\(type_code\\)$`,
      ),
    );
    expect(stack.mmp.documents(orderId)).toEqual([]);
  });

  it('names MMP_DOCUMENT_TYPE_CODES when the marketplace refuses a type sent as named, having no default', async () => {
    const orderId = newOrder();
    const event = orderDocument(orderId, 'DELIVERY_SLIP', 'delivery_slip.pdf', 100);
    await stack.connect.publish(event);

    await stack.drain();

    const [error] = actionOf(event.data.action_id)?.errors ?? [];
    expect(error?.code).toBe('INVALID_INPUT');
    expect(error?.message).toBe(
      `MMP OR74 refused document delivery_slip.pdf of order ${orderId} with type DELIVERY_SLIP (DELIVERY_SLIP as named, having no default: map it to one of the operator's codes (DO01) in MMP_DOCUMENT_TYPE_CODES): valid_order_document.type (type_code)`,
    );
    expect(stack.mmp.documents(orderId)).toEqual([]);
  });

  it('keeps names distinct on the order: non-ASCII names that differ, and a new document under a name already taken', async () => {
    const orderId = newOrder();
    const invoice = {
      document_type: 'CUSTOMER_INVOICE',
      document_entity_id: undefined,
      document_entity_type: undefined,
      document_name: 'invoice.pdf',
    };
    const events = [
      documentEvent(orderId, storage.put({ body: randomBytes(100) })),
      documentEvent(orderId, storage.put({ body: randomBytes(200) }), {
        document_name: '字chinese汉_return_label.pdf',
      }),
      documentEvent(orderId, storage.put({ body: randomBytes(300) }), invoice),
      documentEvent(orderId, storage.put({ body: randomBytes(400) }), invoice), // a corrected invoice, same name
    ];
    for (const event of events) await stack.connect.publish(event);

    await stack.drain();

    expect(stack.connect.actions().map((action) => action.status)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
    ]);
    const names = stack.mmp.documents(orderId).map((document) => document.file_name);
    expect(new Set(names).size).toBe(4);
    expect(names.every((name) => /^[\x20-\x7e]+$/.test(name))).toBe(true);
    expect(names).toContain('invoice.pdf');
    expect(names.some((name) => /^invoice-[0-9a-f]{8}\.pdf$/.test(name))).toBe(true);
    expect(await archived(orderId)).toHaveLength(4);
  });

  it('reports INVALID_INPUT for an extension MMP refuses, a full order, or a document over DOCUMENT_MAX_BYTES', async () => {
    const [exe, full, large] = [newOrder(), newOrder(), newOrder()];
    for (let index = 0; index < 50; index += 1)
      stack.mmp.addDocument(full, { file_name: `doc-${index}.pdf`, type: 'CUSTOMER_INVOICE', body: randomBytes(10) });
    const events = [
      documentEvent(exe, storage.put({ body: randomBytes(100) }), { document_name: 'label.exe' }),
      documentEvent(full, storage.put({ body: randomBytes(100) })),
      documentEvent(large, storage.put({ body: randomBytes(5_000) })),
    ];
    for (const event of events) await stack.connect.publish(event);

    await stack.drain({ handler: stack.orderActions({ DOCUMENT_MAX_BYTES: '4096' }) });

    expect(events.map((event) => actionOf(event.data.action_id)?.errors?.[0])).toEqual([
      {
        code: 'INVALID_INPUT',
        message: expect.stringContaining(`Document label.exe of order ${exe}: MMP does not take .exe`),
      },
      {
        code: 'INVALID_INPUT',
        message: expect.stringContaining(`the order already holds 50 documents, MMP's maximum is 50`),
      },
      {
        code: 'INVALID_INPUT',
        message: `Document ${VENDOR_NAME} of order ${large} is larger than 4096 bytes, the largest document the connector attaches (DOCUMENT_MAX_BYTES)`,
      },
    ]);
    expect(mmpCalls().filter((call) => call.startsWith('OR74'))).toEqual([]);
    expect(await archived(large)).toEqual([]);
  });
});
