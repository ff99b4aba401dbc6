import { describe, expect, it } from 'vitest';
import { createCarrierMap } from '../../../../lib/channel/mmp/carriers.js';
import {
  acceptReturn,
  closeReturn,
  receiveReturn,
  returnDecisionBody,
  returnUpdateBody,
  updateReturnTracking,
} from '../../../../lib/channel/mmp/returns.js';
import type { CallAnswer } from '../../../../lib/channel/mmp/course.js';
import type { MmpReturn, MmpReturnsClient } from '../../../../lib/channel/mmp/returns-client.js';
import { HttpError } from '../../../../lib/http/index.js';
import { failureOf } from '../../../support/mmp-fakes.js';

const RETURN_ID = '5f0c2a9e-8b1d-4c3e-9a7f-1b2c3d4e5f60';
const ref = { channelOrderId: 'MKP-1', channelReturnId: RETURN_ID };
const REJECTION_REASONS = {
  RETURN_WINDOW_CLOSED: 'RETURN_REJECTION_WINDOW_CLOSED',
  NOT_ELIGIBLE_FOR_RETURN: 'RETURN_REJECTION_NOT_ELIGIBLE',
};

/** The states each call applies from, as MMP has them: from any other, the 200 lists the return in `return_errors`. */
const APPLIES_FROM: Record<string, string[]> = {
  RT21: ['WAITING_ACCEPTANCE'],
  RT04: ['WAITING_ACCEPTANCE', 'IN_PROGRESS'],
  RT25: ['IN_PROGRESS'],
  RT27: ['RECEIVED', 'NO_RECEPTION'],
};

/** RT11 and the return changes in memory: `moves` is what each call does to the state, or how it refuses regardless. */
const fakeReturns = (
  state: string | undefined,
  moves: Partial<Record<string, string | 'refused' | 'http-400'>> = {},
) => {
  const calls: string[] = [];
  const sent: unknown[] = [];
  const current: MmpReturn | undefined = state === undefined ? undefined : { id: RETURN_ID, order_id: 'MKP-1', state };
  const change =
    (operation: string) =>
    async (body: unknown): Promise<CallAnswer> => {
      calls.push(operation);
      sent.push(body);
      const move = moves[operation];
      if (move === 'http-400')
        throw new HttpError(`MMP ${operation} answered 400`, { status: 400, mayHaveApplied: false });
      if (move === 'refused' || !current || !APPLIES_FROM[operation]?.includes(current.state)) return 'refused';
      if (move && current) current.state = move;
      return 'applied';
    };
  const client: MmpReturnsClient = {
    async getReturn() {
      calls.push('RT11');
      return current && { ...current };
    },
    decideReturn: change('RT21'),
    updateReturn: change('RT04'),
    receiveReturn: change('RT25'),
    closeReturn: change('RT27'),
  };
  return { client, calls, sent };
};

describe('returnDecisionBody (RT21)', () => {
  it('accepts without a reason', () => {
    expect(returnDecisionBody({ ...ref, accepted: true, rejectionReason: undefined }, REJECTION_REASONS)).toEqual({
      id: RETURN_ID,
      accepted: true,
    });
  });

  it("maps the vendor refusal's NOT_ELIGIBLE_FOR_RETURN, and RETURN_WINDOW_CLOSED, by default", () => {
    expect(
      returnDecisionBody({ ...ref, accepted: false, rejectionReason: 'NOT_ELIGIBLE_FOR_RETURN' }, REJECTION_REASONS),
    ).toEqual({
      id: RETURN_ID,
      accepted: false,
      rejection_reason_code: 'RETURN_REJECTION_NOT_ELIGIBLE',
    });
    expect(
      returnDecisionBody({ ...ref, accepted: false, rejectionReason: 'RETURN_WINDOW_CLOSED' }, REJECTION_REASONS)
        .rejection_reason_code,
    ).toBe('RETURN_REJECTION_WINDOW_CLOSED');
  });

  it('refuses FINAL_SALES without a configured code, and a refusal without a reason, as INVALID_INPUT', async () => {
    expect(
      await failureOf(
        (async () =>
          returnDecisionBody({ ...ref, accepted: false, rejectionReason: 'FINAL_SALES' }, REJECTION_REASONS))(),
      ),
    ).toEqual({
      code: 'INVALID_INPUT',
      transient: false,
      message: `Rejection reason FINAL_SALES of return ${RETURN_ID} has no marketplace rejection_reason_code: map it in MMP_RETURN_REJECTION_REASONS`,
    });
    expect(
      await failureOf((async () => returnDecisionBody({ ...ref, accepted: false }, REJECTION_REASONS))()),
    ).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('returnUpdateBody (RT04)', () => {
  const vendorTracking = {
    ...ref,
    rmaId: 'CR117B72FEF5E8391187',
    labelUrl: 'https://shipping.ups.com/returns/labels/d290f1ee.pdf',
    carrier: 'FedEx',
    trackingNumber: '123456',
    trackingUrl: 'https://www.fedex.com/fedextrack/?trknbr=123456',
  };

  it('sends an unregistered carrier (the vendor example) by name and URL', () => {
    expect(returnUpdateBody(vendorTracking, undefined)).toEqual({
      id: RETURN_ID,
      rma: 'CR117B72FEF5E8391187',
      label_url: 'https://shipping.ups.com/returns/labels/d290f1ee.pdf',
      tracking: {
        carrier_name: 'FedEx',
        tracking_url: 'https://www.fedex.com/fedextrack/?trknbr=123456',
        tracking_number: '123456',
      },
    });
  });

  it('sends a registered carrier by code, and only the fields the event sets', () => {
    expect(returnUpdateBody({ ...ref, carrier: 'Colissimo', trackingNumber: '8R4' }, 'COLISSIMO')).toEqual({
      id: RETURN_ID,
      rma: undefined,
      label_url: undefined,
      tracking: { carrier_code: 'COLISSIMO', tracking_number: '8R4' },
    });
    expect(returnUpdateBody({ ...ref, labelUrl: 'https://labels/1.pdf' }, undefined).tracking).toBeUndefined();
  });

  it('refuses an update that sets nothing as INVALID_INPUT', async () => {
    expect(await failureOf((async () => returnUpdateBody(ref, undefined))())).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('the return actions (the call first, RT11 on a refusal)', () => {
  it('accepts a return waiting for acceptance, without reading it', async () => {
    const mmp = fakeReturns('WAITING_ACCEPTANCE', { RT21: 'IN_PROGRESS' });
    await acceptReturn(mmp.client, { ...ref, accepted: true }, REJECTION_REASONS);
    expect(mmp.calls).toEqual(['RT21']);
    expect(mmp.sent).toEqual([{ id: RETURN_ID, accepted: true }]);
  });

  it('confirms a decision already applied (a redelivery) from the refusal', async () => {
    const accepted = fakeReturns('RECEIVED');
    await acceptReturn(accepted.client, { ...ref, accepted: true }, REJECTION_REASONS);
    const refused = fakeReturns('REFUSED');
    await acceptReturn(
      refused.client,
      { ...ref, accepted: false, rejectionReason: 'RETURN_WINDOW_CLOSED' },
      REJECTION_REASONS,
    );
    expect([accepted.calls, refused.calls]).toEqual([
      ['RT21', 'RT11'],
      ['RT21', 'RT11'],
    ]);
  });

  it('fails a return in a final state with RETURN_IN_WRONG_STATE', async () => {
    const mmp = fakeReturns('CLOSED');
    expect(
      await failureOf(
        acceptReturn(
          mmp.client,
          { ...ref, accepted: false, rejectionReason: 'RETURN_WINDOW_CLOSED' },
          REJECTION_REASONS,
        ),
      ),
    ).toEqual({
      code: 'RETURN_IN_WRONG_STATE',
      transient: false,
      message: `Return ${RETURN_ID} of order MKP-1 is CLOSED on the marketplace: cannot refuse it (MMP RT21 refused with return_errors)`,
    });
    expect(mmp.calls).toEqual(['RT21', 'RT11']);
  });

  it('reads return_errors of a 200: a refusal is classified from the state read again', async () => {
    const mmp = fakeReturns('IN_PROGRESS', { RT21: 'refused' });
    expect(
      await failureOf(
        acceptReturn(
          mmp.client,
          { ...ref, accepted: false, rejectionReason: 'RETURN_WINDOW_CLOSED' },
          REJECTION_REASONS,
        ),
      ),
    ).toEqual({
      code: 'RETURN_IN_WRONG_STATE',
      transient: false,
      message: `Return ${RETURN_ID} of order MKP-1 is IN_PROGRESS on the marketplace: cannot refuse it (MMP RT21 refused with return_errors)`,
    });
    expect(mmp.calls).toEqual(['RT21', 'RT11']);
  });

  it('reports an unknown return, a refused return of another order, or a non-UUID id (not sent) as DATA_NOT_FOUND', async () => {
    expect(await failureOf(receiveReturn(fakeReturns(undefined).client, ref))).toMatchObject({
      code: 'DATA_NOT_FOUND',
    });
    expect(
      await failureOf(receiveReturn(fakeReturns('WAITING_ACCEPTANCE').client, { ...ref, channelOrderId: 'MKP-2' })),
    ).toEqual({
      code: 'DATA_NOT_FOUND',
      transient: false,
      message: `Return ${RETURN_ID} is not a return of order MKP-2 on the marketplace`,
    });
    const mmp = fakeReturns('IN_PROGRESS');
    expect(await failureOf(receiveReturn(mmp.client, { ...ref, channelReturnId: 'RETURN-67890' }))).toMatchObject({
      code: 'DATA_NOT_FOUND',
    });
    expect(mmp.calls).toEqual([]);
  });

  it('receives an accepted return, and waits for one not accepted yet', async () => {
    const mmp = fakeReturns('IN_PROGRESS', { RT25: 'RECEIVED' });
    await receiveReturn(mmp.client, ref);
    expect(mmp.calls).toEqual(['RT25']);
    expect(
      await failureOf(receiveReturn(fakeReturns('WAITING_ACCEPTANCE', { RT25: 'refused' }).client, ref)),
    ).toMatchObject({
      code: 'RETURN_IN_WRONG_STATE',
      transient: true,
    });
  });

  it('closes a received return; a 4xx refusal is classified like return_errors', async () => {
    const mmp = fakeReturns('RECEIVED', { RT27: 'CLOSED' });
    await closeReturn(mmp.client, ref);
    expect(mmp.calls).toEqual(['RT27']);
    expect(await failureOf(closeReturn(fakeReturns('IN_PROGRESS', { RT27: 'http-400' }).client, ref))).toMatchObject({
      code: 'RETURN_IN_WRONG_STATE',
      transient: true,
      message: expect.stringContaining('(MMP RT27 refused with 400)'),
    });
  });

  it('updates the tracking with the carrier mapped; a refusal of an open return is the values, INVALID_INPUT', async () => {
    const carriers = createCarrierMap({ configured: { colissimo: 'COLISSIMO' } });
    const mmp = fakeReturns('IN_PROGRESS');
    await updateReturnTracking(mmp.client, carriers, { ...ref, carrier: 'Colissimo', trackingNumber: '8R4' });
    expect(mmp.sent).toEqual([{ id: RETURN_ID, tracking: { carrier_code: 'COLISSIMO', tracking_number: '8R4' } }]);

    const refused = fakeReturns('IN_PROGRESS', { RT04: 'refused' });
    expect(
      await failureOf(updateReturnTracking(refused.client, carriers, { ...ref, labelUrl: 'https://labels/1.pdf' })),
    ).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(
      await failureOf(updateReturnTracking(fakeReturns('CANCELED').client, carriers, { ...ref, rmaId: 'RMA-1' })),
    ).toMatchObject({
      code: 'RETURN_IN_WRONG_STATE',
    });
  });
});
