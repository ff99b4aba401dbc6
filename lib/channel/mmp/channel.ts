import type { MmpConfig } from '../../config/index.js';
import type { SalesChannel } from '../port.js';
import { acceptOrder } from './acceptance.js';
import { cancelOrder } from './cancelation.js';
import type { CarrierMap } from './carriers.js';
import type { MmpClient } from './client.js';
import { attachDocument, type ConnectorAttachments } from './documents.js';
import type { MmpDocumentsClient } from './documents-client.js';
import { shipPart } from './partial-shipment.js';
import type { MarketplaceReasons } from './reasons/index.js';
import { refundOrder } from './refund.js';
import { acceptReturn, closeReturn, receiveReturn, updateReturnTracking } from './returns.js';
import type { MmpReturnsClient } from './returns-client.js';
import type { MmpShipmentsClient } from './shipments-client.js';
import { shipOrder } from './shipping.js';

/** The marketplace's own rules the adapter follows: the operator's codes and capabilities. */
export type MmpRules = Pick<
  MmpConfig,
  'MMP_RETURN_REJECTION_REASONS' | 'MMP_MULTI_SHIPMENT' | 'MMP_DOCUMENT_TYPE_CODES'
>;

/** The Channel port on one marketplace shop: each method is one of the adapter's courses. */
export const mmpChannel = (
  mmp: MmpClient,
  carriers: CarrierMap,
  apis: {
    returns: MmpReturnsClient;
    shipments: MmpShipmentsClient;
    documents: MmpDocumentsClient;
    reasons: MarketplaceReasons;
    attachments?: ConnectorAttachments;
  },
  rules: MmpRules,
): SalesChannel => ({
  ship: (shipment, intent) =>
    shipOrder(
      mmp,
      carriers,
      shipment,
      rules.MMP_MULTI_SHIPMENT
        ? (order) => shipPart({ mmp, carriers, shipments: apis.shipments }, order, shipment, intent)
        : undefined,
    ),
  accept: (acceptance) => acceptOrder(mmp, acceptance),
  cancel: (cancelation, intent) => cancelOrder(mmp, cancelation, intent, apis.reasons),
  refund: (refund, intent) => refundOrder(mmp, refund, intent, apis.reasons),
  acceptReturn: (decision) => acceptReturn(apis.returns, decision, rules.MMP_RETURN_REJECTION_REASONS),
  updateReturnTracking: (tracking) => updateReturnTracking(apis.returns, carriers, tracking),
  receiveReturn: (ref) => receiveReturn(apis.returns, ref),
  closeReturn: (ref) => closeReturn(apis.returns, ref),
  attachDocument: (document) =>
    attachDocument(apis.documents, rules.MMP_DOCUMENT_TYPE_CODES, document, apis.attachments),
});
