import type { SQSRecord } from 'aws-lambda';
import type { ConnectSimulator } from '../simulators/connect.js';
import type { MmpRequest, MmpSimulator } from '../simulators/mmp.js';

/** What the echo check found, once an orderRefresh read the order after its last file was attached. */
export interface EchoVerdict {
  orderId: string;
  /** The files on the marketplace order (all attached by UPLOAD_DOCUMENT → OR74). */
  attached: string[];
  /** Whether the import listed the order's documents (OR72) after the last file was attached. */
  readBack: boolean;
  /** Those files Connect holds as channel documents of the order (same bytes): an echo. */
  echoed: string[];
}

/** The import read the order's documents after its last attachment, and uploaded none of them back. */
export const echoShown = (verdict: EchoVerdict | undefined): boolean =>
  verdict?.readBack === true && verdict.echoed.length === 0;

/**
 * Invariant 18 shown on the demo's order life: the files UPLOAD_DOCUMENT attached to the order on the marketplace
 * (OR74) are not uploaded back to Connect by the import. Checked once an orderRefresh named on the queue after the
 * last attaching action was reported (so it read the order with that file on it) has run.
 */
export class EchoCheck {
  private attachedAt: number | undefined;
  private callsAtAttach = 0;
  private refreshed = false;

  constructor(
    readonly orderId: string,
    /** The UPLOAD_DOCUMENT action after which the order holds every file it will hold. */
    readonly lastAttachActionId: string,
  ) {}

  /** An action's final report; `callsAtReport`: how many calls the marketplace had received then. */
  reported(actionId: string, reportedAt: number, callsAtReport: number): void {
    if (actionId !== this.lastAttachActionId) return;
    this.attachedAt = reportedAt;
    this.callsAtAttach = callsAtReport;
  }

  /** An orderRefresh invocation ended without handing records back. */
  orderRefreshed(records: SQSRecord[]): void {
    if (this.attachedAt === undefined) return;
    const attachedAt = this.attachedAt;
    this.refreshed ||= records.some(
      (record) => Number(record.attributes.SentTimestamp) >= attachedAt && namesOrder(record.body, this.orderId),
    );
  }

  get checked(): boolean {
    return this.refreshed;
  }

  verdict(
    mmp: Pick<MmpSimulator, 'documents' | 'requests'>,
    connect: Pick<ConnectSimulator, 'channelDocuments'>,
  ): EchoVerdict {
    const attached = mmp.documents(this.orderId);
    const inConnect = new Set(connect.channelDocuments(this.orderId).map((document) => document.sha256));
    return {
      orderId: this.orderId,
      attached: attached.map((document) => document.file_name),
      readBack: mmp
        .requests()
        .slice(this.callsAtAttach)
        .some((request) => listsDocumentsOf(request, this.orderId)),
      echoed: attached.filter((document) => inConnect.has(document.sha256)).map((document) => document.file_name),
    };
  }
}

const listsDocumentsOf = (request: MmpRequest, orderId: string): boolean =>
  request.route === 'OR72' && request.status < 300 && (request.query.order_ids ?? '').split(',').includes(orderId);

const namesOrder = (body: string, orderId: string): boolean => {
  try {
    return (JSON.parse(body) as { channel_order_id?: unknown } | null)?.channel_order_id === orderId;
  } catch {
    return false;
  }
};
