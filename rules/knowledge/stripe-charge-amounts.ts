// Where each call that charges a customer carries the amount, as paths into its params object. Data, not
// logic: src/stripe/charge-amounts.ts walks these paths (`x[]` is every element of the array `x`) and the
// payment-amount-from-client rule reports a path whose value the client sets.
//
// Refunds, transfers, payouts and top-ups are left out on purpose: their amounts are chosen by staff or
// by the platform, never by the paying customer. Paths that end on an array (`line_items`) are reported
// when the whole array comes from the request: the client can then put any price_data in it.
export const CHARGE_AMOUNT_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ['paymentIntents.create', ['amount']],
  ['paymentIntents.update', ['amount']],
  ['charges.create', ['amount']],
  ['checkout.sessions.create', ['line_items[].price_data.unit_amount', 'line_items[].price_data.unit_amount_decimal', 'line_items[].amount', 'line_items']],
  ['paymentLinks.create', ['line_items[].price_data.unit_amount', 'line_items']],
  ['invoiceItems.create', ['amount', 'unit_amount', 'unit_amount_decimal', 'price_data.unit_amount', 'price_data.unit_amount_decimal']],
  ['subscriptions.create', ['items[].price_data.unit_amount', 'items[].price_data.unit_amount_decimal', 'add_invoice_items[].price_data.unit_amount', 'items']],
  ['subscriptionItems.create', ['price_data.unit_amount', 'price_data.unit_amount_decimal']],
]);
