import type { SimTemplate } from './business';

type Template = Omit<SimTemplate, 'id'>;

/** An approved English template. */
const approved = (
  name: string,
  category: Template['category'],
  components: Template['components'],
): Template => ({ name, language: 'en', status: 'APPROVED', category, components });

/**
 * Approved templates of the shapes a shop really has, for tests and demos of the template composer:
 * one with an image header and a link button to complete, one with a named header value, and one
 * Switchboard cannot send (a location header).
 */
export const NEW_STOCK_TEMPLATE = approved('new_stock', 'MARKETING', [
  { type: 'HEADER', format: 'IMAGE' },
  { type: 'BODY', text: 'New stock of {{1}} just came in!' },
  {
    type: 'BUTTONS',
    buttons: [
      { type: 'QUICK_REPLY', text: 'Stop promotions' },
      { type: 'URL', text: 'See it', url: 'https://shop.ng/p/{{1}}' },
    ],
  },
]);

export const ORDER_SHIPPED_TEMPLATE = approved('order_shipped', 'UTILITY', [
  { type: 'HEADER', format: 'TEXT', text: 'Order {{order_id}}' },
  { type: 'BODY', text: 'Hi {{name}}, it is on its way.' },
]);

export const STORE_LOCATION_TEMPLATE = approved('store_location', 'UTILITY', [
  { type: 'HEADER', format: 'LOCATION' },
  { type: 'BODY', text: 'Find us here' },
]);
