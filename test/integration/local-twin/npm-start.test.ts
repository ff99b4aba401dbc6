import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const ANY_PORT = [
  '--sqs-port',
  '0',
  '--dynamodb-port',
  '0',
  '--connect-port',
  '0',
  '--mmp-port',
  '0',
  '--documents-port',
  '0',
  '--purchase-order-port',
  '0',
  '--operations-port',
  '0',
];

/** A CLI of local/ run as `npm start` / `npm run send-event` run it, with its output as it comes. */
const run = (script: string, args: string[], input?: string) => {
  const child = spawn(process.execPath, ['--import', 'tsx', `local/cli/${script}`, ...args], {
    cwd: REPOSITORY,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(input);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    output: () => output,
    async waitFor(pattern: RegExp, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in:\n${output}`);
        await sleep(50);
      }
      return output;
    },
  };
};

/** The import summary's line of an order: `  IMPORT-3001  placed WAITING_ACCEPTANCE  AWAITING_ACCEPTANCE 0.7 s → ...`. */
const timelineOf = (output: string, orderId: string) =>
  output.split('\n').find((line) => new RegExp(`^\\s+${orderId}\\s+placed `).test(line)) ?? '';

const json = async (url: string) => (await fetch(url)).json() as Promise<unknown>;

/** The summary row of an action on an order (the first when several match: add the scenario to tell them apart). */
const rowOf = (output: string, orderId: string, type = 'CREATE_SHIPMENT', scenario = '') =>
  output
    .split('\n')
    .find((line) => new RegExp(`^\\s+${type}\\s+${orderId}\\s`).test(line) && line.includes(scenario)) ?? '';

describe('npm start', () => {
  let packageDir: string;
  beforeAll(async () => {
    packageDir = await mkdtemp(join(tmpdir(), 'local-stack-'));
  });
  afterAll(async () => rm(packageDir, { recursive: true, force: true }));

  it('runs the demo through the packaged connector, takes an event from send-event, and stops on Ctrl-C', async () => {
    const stack = run('start.ts', ['--package-dir', packageDir, ...ANY_PORT]);
    try {
      const output = await stack.waitFor(/Ctrl-C stops everything/, 180_000);
      expect(output).not.toMatch(/^! /m);

      expect(rowOf(output, 'DEMO-1001')).toMatch(/OR23 · OR24\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-1002')).toMatch(/OR23 · OR24\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-1003')).toMatch(/\s1\s+OR23 400 · OR11\s+FAILED ORDER_IN_WRONG_STATE/);
      expect(rowOf(output, 'DEMO-1004')).toMatch(/\s2\s+OR23 · OR24 503 ×4 · OR23 · OR24\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-1005')).toMatch(/SUCCESS/);

      // The life of one order, each step once the one before is reported.
      expect(rowOf(output, 'DEMO-2001', 'ACCEPT')).toMatch(/\s1\s+OR21\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'CANCEL')).toMatch(/\s1\s+OR11 · OR30\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'CREATE_SHIPMENT')).toMatch(/\s1\s+OR23 · OR24\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'UPLOAD_DOCUMENT', 'invoice')).toMatch(/\s1\s+OR72 · OR74\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'REFUND')).toMatch(/\s1\s+OR11 · OR28\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'ACCEPT_RETURN')).toMatch(/\s1\s+RT21\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'UPLOAD_DOCUMENT', 'return label')).toMatch(/\s1\s+OR72 · OR74\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'UPDATE_RETURN_TRACKING_INFORMATION')).toMatch(/\s1\s+RT04\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'ACKNOWLEDGE_RETURN_RECEPTION')).toMatch(/\s1\s+RT25\s+SUCCESS/);
      expect(rowOf(output, 'DEMO-2001', 'CLOSE_RETURN')).toMatch(/\s1\s+RT27\s+SUCCESS/);
      expect(output).toMatch(
        /s3:\/\/\S+\/documents\/marketplace_channel\/DEMO-2001\/CUSTOMER_INVOICE\/invoice-DEMO-2001\.pdf/,
      );
      expect(output).toMatch(
        /s3:\/\/\S+\/documents\/marketplace_channel\/DEMO-2001\/RETURN_LABEL\/\S*chinese\S*return_label\S*\.pdf/,
      );

      // The other way: orders placed on the marketplace, imported, acted on by the seller in Connect, the result back in Connect.
      const t = String.raw`[\d.]+ s`;
      expect(timelineOf(output, 'IMPORT-3001')).toMatch(
        new RegExp(
          `placed WAITING_ACCEPTANCE\\s+AWAITING_ACCEPTANCE ${t} → seller ACCEPT → AWAITING_SHIPMENT ${t} → seller CREATE_SHIPMENT → SHIPPED ${t}$`,
        ),
      );
      expect(timelineOf(output, 'IMPORT-3002')).toMatch(
        new RegExp(
          `placed SHIPPING\\s+AWAITING_SHIPMENT ${t} → seller CREATE_SHIPMENT → SHIPPED ${t} → invoice put on the marketplace → CUSTOMER_INVOICE invoice-IMPORT-3002\\.pdf ${t}$`,
        ),
      );
      // An invoice from the operations API (seed 003), archived by documentArchive and uploaded to Connect on its order.
      expect(timelineOf(output, 'IMPORT-3003')).toMatch(
        new RegExp(
          `placed RECEIVED\\s+DELIVERED ${t} → invoice made in the operations API, archive asked → CUSTOMER_INVOICE \\d+_IMPORT-3003\\.pdf ${t}$`,
        ),
      );
      expect(output).toMatch(/s3:\/\/\S+\/documents\/marketplace_channel\/IMPORT-3003\/INVOICE\/\d+_IMPORT-3003\.pdf/);
      expect(rowOf(output, 'IMPORT-3001', 'ACCEPT')).toMatch(/seller in Connect.*\s1\s+OR21\s+SUCCESS/);
      expect(rowOf(output, 'IMPORT-3001', 'CREATE_SHIPMENT')).toMatch(/seller in Connect.*\s1\s+OR23 · OR24\s+SUCCESS/);
      expect(rowOf(output, 'IMPORT-3002', 'CREATE_SHIPMENT')).toMatch(/seller in Connect.*\s1\s+OR23 · OR24\s+SUCCESS/);
      expect(output).toMatch(
        /s3:\/\/\S+\/documents\/marketplace_channel\/IMPORT-3002\/CUSTOMER_INVOICE\/invoice-IMPORT-3002\.pdf/,
      );
      // No echo: the files UPLOAD_DOCUMENT attached to DEMO-2001 were read back by the import and not uploaded to Connect.
      expect(output).toMatch(
        /No echo: DEMO-2001 has 2 file\(s\) attached by UPLOAD_DOCUMENT \(invoice-DEMO-2001\.pdf, \S*chinese\S*\) on the marketplace; the import listed them \(OR72\) and uploaded none back/,
      );

      const connectPort = /Connect \(simulated\)\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1] ?? '';
      const documentsPort = /Documents \(simulated\)\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1] ?? '';
      const ports = ['--connect-port', connectPort, '--documents-port', documentsPort];

      // What the simulated Connect holds says the same.
      const connect = `http://127.0.0.1:${connectPort}/_sim`;
      const held = (await json(`${connect}/orders`)) as Array<{ channel_order_id: string; order?: { status: string } }>;
      expect(
        Object.fromEntries(
          held
            .filter((order) => order.channel_order_id.startsWith('IMPORT-'))
            .map((order) => [order.channel_order_id, order.order?.status]),
        ),
      ).toEqual({
        'IMPORT-3001': 'SHIPPED',
        'IMPORT-3002': 'SHIPPED',
        'IMPORT-3003': 'DELIVERED',
      });
      expect(await json(`${connect}/documents?channel_order_id=IMPORT-3002`)).toEqual([
        expect.objectContaining({
          channelOrderId: 'IMPORT-3002',
          metadata: expect.objectContaining({ type: 'CUSTOMER_INVOICE', filename: 'invoice-IMPORT-3002.pdf' }),
        }),
      ]);
      expect(await json(`${connect}/documents?channel_order_id=IMPORT-3003`)).toEqual([
        expect.objectContaining({
          metadata: expect.objectContaining({
            type: 'CUSTOMER_INVOICE',
            channel_document_id: expect.stringMatching(/^operations-/),
          }),
        }),
      ]);
      expect(await json(`${connect}/documents?channel_order_id=DEMO-2001`)).toEqual([]);
      const sent = run('send-event.ts', ['local/events/create-shipment.json', ...ports]);
      expect(await sent.exit).toBe(0);
      await stack.waitFor(/✔ CREATE_SHIPMENT ORDER-TO-SHIP \(shipment-action-123\): SUCCESS/);

      // Connect's reason matched to the simulated operator's code by its label (RE01): nothing configured.
      const refund = run('send-event.ts', ['local/events/refund.json', ...ports]);
      expect(await refund.exit).toBe(0);
      await stack.waitFor(/✔ REFUND ORDER-TO-REFUND \(refund-action-123\): SUCCESS in [\d.]+ s · MMP: OR11 · OR28/);

      // The sample's link names a file of the repository: send-event uploads it and publishes a fresh link.
      const upload = run('send-event.ts', ['local/events/upload-document.json', ...ports]);
      expect(await upload.exit).toBe(0);
      expect(upload.output()).toContain(
        'Uploaded local/events/documents/return-label.pdf to the simulated document storage',
      );
      await stack.waitFor(
        /✔ UPLOAD_DOCUMENT ORDER-WITH-RETURN \(upload-document-action-123\): SUCCESS .* · MMP: OR72 · OR74 · in S3: documents\/marketplace_channel\/ORDER-WITH-RETURN\/RETURN_LABEL\//,
      );

      stack.child.kill('SIGINT');
      expect(await stack.exit).toBe(0);
      expect(stack.output()).toMatch(/Stopped\./);
      await expect(fetch(`http://127.0.0.1:${connectPort}/_sim/actions`)).rejects.toThrow();
    } finally {
      stack.child.kill('SIGKILL');
    }
  }, 300_000);

  it('names a port in use and how to choose another', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const stack = run('start.ts', ['--package-dir', packageDir, ...ANY_PORT, '--mmp-port', String(port)]);

      expect(await stack.exit).toBe(1);
      expect(stack.output()).toContain(`Port ${port} (simulated MMP) is already in use`);
      expect(stack.output()).toContain('--mmp-port <port>');
    } finally {
      taken.close();
    }
  });
});

describe('npm run send-event', () => {
  it('refuses an event that breaks the vendor schema, naming the field', async () => {
    const invalid = {
      id: '01X',
      type: 'CREATE_SHIPMENT',
      time: '2024-05-20T10:15:30Z',
      data: { action_id: 'a-1', channel_id: 'c', channel_order_id: 'o', channel_store_id: 's' },
    };
    const sent = run('send-event.ts', ['-', '--connect-port', '1'], JSON.stringify(invalid));

    expect(await sent.exit).toBe(1);
    expect(sent.output()).toContain('- is not a valid OrderActionEvent');
    expect(sent.output()).toContain('/data/carrier is required');
  });

  it('says when no local stack is running', async () => {
    const sent = run('send-event.ts', ['local/events/accept.json', '--connect-port', '1']);

    expect(await sent.exit).toBe(1);
    expect(sent.output()).toContain('Nothing answers at http://127.0.0.1:1: start the local stack first (npm start)');
  });
});
