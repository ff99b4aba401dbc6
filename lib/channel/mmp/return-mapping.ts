import type { ConnectReturn } from '../../connect/channel-orders.js';
import type { MmpImportedReturn } from './imported-order.js';
import { connectRejectionOf, connectReturnReasonOf, connectReturnStatusOf } from './imported-states.js';

/**
 * MMP return (RT11 `data[]`) → the complete Connect return (MIRAKL-SYNC.md §6.4), a pure function stamped with
 * the marketplace's own `last_updated`. A line without its own reason takes the return's. Return documents
 * (labels) are not part of it: they go through uploadOrderDocument.
 */
export const toConnectReturn = (mmpReturn: MmpImportedReturn): ConnectReturn => {
  const tracking = trackingOf(mmpReturn.tracking);
  const address = mmpReturn.return_address;
  return {
    channel_return_id: mmpReturn.id,
    channel_order_id: mmpReturn.order_id,
    created_at: mmpReturn.date_created,
    channel_updated_at: mmpReturn.last_updated,
    status: connectReturnStatusOf(mmpReturn.state),
    ...(mmpReturn.rejection_reason_code && { rejection_reason: connectRejectionOf(mmpReturn.rejection_reason_code) }),
    return_lines: mmpReturn.return_lines.map((line) => ({
      channel_order_line_id: line.order_line_id,
      quantity: line.quantity,
      reason: connectReturnReasonOf(line.reason_code ?? mmpReturn.reason_code),
    })),
    ...(mmpReturn.rma && { rma_id: mmpReturn.rma }),
    ...(mmpReturn.label_url && { label_url: mmpReturn.label_url }),
    ...(mmpReturn.method_code && { method: mmpReturn.method_code }),
    ...(tracking && { tracking }),
    ...(address && {
      address: {
        // Required by Connect: when MMP lacks one, validation rejects the return naming the field.
        street: address.street1 as string,
        city: address.city as string,
        country_iso_code: address.country_iso_code as string,
        ...(address.street2 && { street_additional_info: address.street2 }),
        ...(address.state && { state: address.state }),
        ...(address.zip_code && { zip_code: address.zip_code }),
      },
    }),
  };
};

const trackingOf = (tracking: MmpImportedReturn['tracking']): ConnectReturn['tracking'] => {
  if (!tracking) return undefined;
  const carrier = tracking.carrier_name ?? tracking.carrierName ?? tracking.carrier_code ?? tracking.carrierCode;
  const fields = {
    ...(carrier && { carrier_name: carrier }),
    ...(tracking.tracking_number && { tracking_number: tracking.tracking_number }),
    ...(tracking.tracking_url && { tracking_url: tracking.tracking_url }),
  };
  return Object.keys(fields).length > 0 ? fields : undefined;
};
