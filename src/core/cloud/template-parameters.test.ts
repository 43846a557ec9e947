import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../shared/template-text';
import type { CloudTemplate } from '../../shared/cloud-contract';
import { isSwitchboardError } from '../errors';
import {
  bodyComponents,
  fillTemplateValues,
  parameterProblem,
  parametersNamed,
  templateShape,
  type TemplateValues,
} from './template-parameters';

const body = (text: string) => ({ type: 'BODY', text });

describe('templateShape', () => {
  it('lists positional values by number, once each, whatever order the text uses them in', () => {
    const shape = templateShape([body('Hi {{2}}, your order {{1}} is ready. Thanks {{2}}!')]);
    expect(shape.parameters.map((p) => p.name)).toEqual(['1', '2']);
    expect(shape.unsendable).toBeNull();
  });

  it('keeps named values in the order they appear', () => {
    const shape = templateShape([body('Order {{order_id}} for {{ customer_name }} is ready')]);
    expect(shape.parameters).toEqual([
      { name: 'order_id', positional: false },
      { name: 'customer_name', positional: false },
    ]);
  });

  it('a template without values, or without a body, needs nothing', () => {
    const none = { header: null, buttons: [], unsendable: null };
    expect(templateShape([body('Hello World')])).toEqual({ body: 'Hello World', parameters: [], ...none });
    expect(templateShape([])).toEqual({ body: null, parameters: [], ...none });
    expect(templateShape(['junk', null, 3])).toEqual({ body: null, parameters: [], ...none });
  });

  it('describes a media header: the owner gives a link when sending', () => {
    for (const format of ['IMAGE', 'VIDEO', 'DOCUMENT'] as const) {
      const shape = templateShape([{ type: 'HEADER', format }, body('New stock!')]);
      expect(shape.header).toEqual({ format: format.toLowerCase(), text: null, parameter: null });
      expect(shape.unsendable).toBeNull();
    }
  });

  it('describes a text header, with or without its one placeholder', () => {
    expect(templateShape([{ type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}' }, body('x')])).toMatchObject({
      header: { format: 'text', text: 'Hi {{1}}', parameter: '1' },
      unsendable: null,
    });
    expect(
      templateShape([{ type: 'HEADER', format: 'TEXT', text: 'Order {{order_id}}' }, body('x')]).header,
    ).toEqual({ format: 'text', text: 'Order {{order_id}}', parameter: 'order_id' });
    // Meta stores a text header without `format` at times.
    expect(templateShape([{ type: 'HEADER', text: 'Hello' }, body('x {{1}}')])).toMatchObject({
      header: { format: 'text', text: 'Hello', parameter: null },
      unsendable: null,
    });
  });

  it('lists every button with its index; a URL button with a placeholder takes a value', () => {
    const shape = templateShape([
      body('Your order is on its way'),
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Stop promotions' },
          { type: 'URL', text: 'Track order', url: 'https://shop.ng/track/{{1}}' },
          { type: 'URL', text: 'Our shop', url: 'https://shop.ng' },
          { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+2348090000001' },
        ],
      },
    ]);
    expect(shape.unsendable).toBeNull();
    expect(shape.buttons).toEqual([
      { index: 0, type: 'quick_reply', text: 'Stop promotions', url: null, parameter: null },
      { index: 1, type: 'url', text: 'Track order', url: 'https://shop.ng/track/{{1}}', parameter: '1' },
      { index: 2, type: 'url', text: 'Our shop', url: 'https://shop.ng', parameter: null },
      { index: 3, type: 'phone_number', text: 'Call us', url: null, parameter: null },
    ]);
  });

  it('says why a template cannot be sent from here', () => {
    expect(templateShape([{ type: 'HEADER', format: 'LOCATION' }, body('Find us')]).unsendable).toBe(
      'its header is a location, which Switchboard cannot attach yet',
    );
    expect(
      templateShape([{ type: 'HEADER', format: 'TEXT', text: 'Hi {{1}} {{2}}' }, body('x')]).unsendable,
    ).toMatch(/header has more than one value/);
    expect(
      templateShape([
        body('Track it'),
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go', url: 'https://shop.ng/{{1}}/{{2}}' }] },
      ]).unsendable,
    ).toMatch(/"Go" button has more than one value/);
    expect(
      templateShape([body('Your code'), { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', text: 'Copy' }] }])
        .unsendable,
    ).toMatch(/"Copy" button needs a code/);
    expect(templateShape([body('x'), { type: 'CAROUSEL', cards: [] }]).unsendable).toMatch(/carousel/);
    expect(templateShape([body('{{1}} and {{name}}')]).unsendable).toMatch(/mixes numbered and named/);
    expect(templateShape([body('{{1}} and {{3}}')]).unsendable).toMatch(/in order/);
    // A text header without values is fine.
    expect(
      templateShape([{ type: 'HEADER', format: 'TEXT', text: 'Hello' }, body('x {{1}}')]).unsendable,
    ).toBeNull();
  });
});

describe('values', () => {
  it('refuses what WhatsApp refuses, in words', () => {
    expect(parameterProblem('ORD-1042')).toBeNull();
    expect(parameterProblem('   ')).toBe('is empty');
    expect(parameterProblem('line one\nline two')).toMatch(/new line/);
    expect(parameterProblem('a\tb')).toMatch(/tab/);
    expect(parameterProblem('a     b')).toMatch(/four spaces/);
    expect(parameterProblem('a    b')).toBeNull();
    expect(parameterProblem('x'.repeat(1025))).toMatch(/1024/);
  });

  it('fills the body for the conversation and builds the Graph API components', () => {
    expect(
      fillTemplate(
        'Hi {{2}}, order {{1}} is ready',
        new Map([
          ['1', 'ORD-7'],
          ['2', 'Ada'],
        ]),
      ),
    ).toBe('Hi Ada, order ORD-7 is ready');
    expect(bodyComponents(parametersNamed(['1', '2']), ['ORD-7', 'Ada'])).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'ORD-7' },
          { type: 'text', text: 'Ada' },
        ],
      },
    ]);
    expect(bodyComponents(parametersNamed(['order_id']), ['ORD-7'])).toEqual([
      { type: 'body', parameters: [{ type: 'text', parameter_name: 'order_id', text: 'ORD-7' }] },
    ]);
    expect(bodyComponents([], [])).toEqual([]);
  });
});

/** A CloudTemplate as cloud.templates lists it, from Meta's components. */
function listed(name: string, components: unknown[]): CloudTemplate {
  const shape = templateShape(components);
  return {
    name,
    language: 'en',
    category: 'UTILITY',
    body: shape.body,
    parameters: shape.parameters.map((p) => p.name),
    header: shape.header,
    buttons: shape.buttons,
    sendable: shape.unsendable === null,
    unsendableReason: shape.unsendable,
  };
}

/** The refusal: its message and the field it names. */
function refusal(template: CloudTemplate, values: TemplateValues): { message: string; field: unknown } {
  try {
    fillTemplateValues(template, values);
  } catch (error) {
    if (!isSwitchboardError(error, 'VALIDATION')) throw error;
    return { message: error.message, field: error.details?.field };
  }
  throw new Error('expected a refusal');
}

const newStock = listed('new_stock', [
  { type: 'HEADER', format: 'IMAGE' },
  body('New stock of {{1}} just came in!'),
  {
    type: 'BUTTONS',
    buttons: [
      { type: 'QUICK_REPLY', text: 'Stop promotions' },
      { type: 'URL', text: 'See it', url: 'https://shop.ng/p/{{1}}' },
    ],
  },
]);
const shipped = listed('order_shipped', [
  { type: 'HEADER', format: 'TEXT', text: 'Order {{order_id}}' },
  body('Hi {{name}}, it is on its way.'),
  { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track order', url: 'https://shop.ng/track/{{1}}' }] },
]);
const invoice = listed('invoice', [{ type: 'HEADER', format: 'DOCUMENT' }, body('Your invoice')]);
const LINK = 'https://cdn.shop.ng/ankara.jpg';

describe('fillTemplateValues', () => {
  it("builds an image header, the body and a URL button in Meta's shape, and the text kept", () => {
    expect(
      fillTemplateValues(newStock, {
        parameters: ['Ankara fabric'],
        header: { link: ` ${LINK} ` },
        buttons: ['ankara-6yd'],
      }),
    ).toEqual({
      text: '[image] New stock of Ankara fabric just came in!\n[See it: https://shop.ng/p/ankara-6yd]',
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: LINK } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Ankara fabric' }] },
        { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'ankara-6yd' }] },
      ],
    });
  });

  it('sends a video header the same way, and a document with its file name', () => {
    const video = listed('promo', [{ type: 'HEADER', format: 'VIDEO' }, body('Watch')]);
    expect(fillTemplateValues(video, { header: { link: 'https://cdn.shop.ng/a.mp4' } })).toEqual({
      text: '[video] Watch',
      components: [
        { type: 'header', parameters: [{ type: 'video', video: { link: 'https://cdn.shop.ng/a.mp4' } }] },
      ],
    });
    const link = 'https://cdn.shop.ng/inv-7.pdf';
    expect(fillTemplateValues(invoice, { header: { link, filename: 'Invoice 7.pdf' } })).toEqual({
      text: '[document: Invoice 7.pdf] Your invoice',
      components: [
        {
          type: 'header',
          parameters: [{ type: 'document', document: { link, filename: 'Invoice 7.pdf' } }],
        },
      ],
    });
    expect(fillTemplateValues(invoice, { header: { link, filename: '' } }).components).toEqual([
      { type: 'header', parameters: [{ type: 'document', document: { link } }] },
    ]);
  });

  it('fills a named text header with parameter_name, and keeps the header as the first line', () => {
    expect(
      fillTemplateValues(shipped, {
        parameters: ['Ada'],
        header: { text: 'ORD-1042' },
        buttons: ['ORD-1042'],
      }),
    ).toEqual({
      text: 'Order ORD-1042\nHi Ada, it is on its way.\n[Track order: https://shop.ng/track/ORD-1042]',
      components: [
        { type: 'header', parameters: [{ type: 'text', parameter_name: 'order_id', text: 'ORD-1042' }] },
        { type: 'body', parameters: [{ type: 'text', parameter_name: 'name', text: 'Ada' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'ORD-1042' }] },
      ],
    });
    const positional = listed('hi', [{ type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}' }, body('Welcome')]);
    expect(fillTemplateValues(positional, { header: { text: 'Ada' } })).toEqual({
      text: 'Hi Ada\nWelcome',
      components: [{ type: 'header', parameters: [{ type: 'text', text: 'Ada' }] }],
    });
    // A fixed header is no component, but the customer reads it.
    const fixed = listed('hello', [{ type: 'HEADER', format: 'TEXT', text: 'Mama Put' }, body('Open')]);
    expect(fillTemplateValues(fixed, {})).toEqual({ text: 'Mama Put\nOpen', components: [] });
  });

  it('refuses a missing or bad header link, naming the field and what to fix', () => {
    const values = { parameters: ['Ankara'], buttons: ['x'] };
    expect(refusal(newStock, values)).toEqual({
      message: 'new_stock starts with an image: give a public https link to the image (header link).',
      field: 'header.link',
    });
    expect(refusal(newStock, { ...values, header: { link: 'http://cdn.shop.ng/a.jpg' } })).toEqual({
      message: expect.stringMatching(/^The header link must start with https:\/\//) as string,
      field: 'header.link',
    });
    expect(refusal(newStock, { ...values, header: { link: '' } }).message).toMatch(/is empty/);
    expect(refusal(newStock, { ...values, header: { link: 'https://cdn.shop.ng/a b.jpg' } }).message).toMatch(
      /space/,
    );
    expect(
      refusal(newStock, { ...values, header: { link: `https://cdn.shop.ng/${'a'.repeat(2000)}` } }).message,
    ).toMatch(/longer than 2,000 characters/);
    expect(refusal(newStock, { ...values, header: { link: LINK, filename: 'a.pdf' } })).toMatchObject({
      field: 'header.filename',
    });
    expect(refusal(invoice, { header: { link: LINK, filename: 'a/b.pdf' } })).toMatchObject({
      message: 'The file name has a new line, a tab or a slash in it.',
      field: 'header.filename',
    });
    // A link for a template without a media header is refused too, rather than dropped.
    expect(
      refusal(shipped, { parameters: ['Ada'], header: { text: 'A', link: LINK }, buttons: ['A'] }),
    ).toEqual({
      message:
        'order_shipped has no image, video or document header, so it takes no header link: leave it out.',
      field: 'header.link',
    });
  });

  it('refuses a missing, extra or bad header value', () => {
    const rest = { parameters: ['Ada'], buttons: ['ORD-1'] };
    expect(refusal(shipped, rest)).toEqual({
      message: 'order_shipped needs a header value for {{order_id}}: none was given.',
      field: 'header.text',
    });
    expect(refusal(shipped, { ...rest, header: { text: 'x'.repeat(61) } }).message).toBe(
      "The header value for {{order_id}} is longer than 60 characters, WhatsApp's limit for a header.",
    );
    expect(refusal(shipped, { ...rest, header: { text: 'a\nb' } }).message).toMatch(/new line/);
    expect(refusal(shipped, { ...rest, header: { text: '  ' } }).message).toMatch(/is empty/);
    expect(refusal(invoice, { header: { link: LINK, text: 'x' } })).toMatchObject({ field: 'header.text' });
  });

  it('refuses a wrong number of button values, and a value with a space', () => {
    const rest = { parameters: ['Ada'], header: { text: 'ORD-1' } };
    expect(refusal(shipped, rest)).toEqual({
      message:
        'order_shipped needs 1 button value(s), one for the link of each of "Track order"; 0 were given.',
      field: 'buttons',
    });
    expect(refusal(shipped, { ...rest, buttons: ['ORD 1'] })).toEqual({
      message:
        'The value for the "Track order" button has a space or a new line in it, which cannot go into a link.',
      field: 'buttons.0',
    });
    expect(refusal(shipped, { ...rest, buttons: ['x'.repeat(2001)] }).message).toMatch(/2,000/);
    expect(refusal(invoice, { header: { link: LINK }, buttons: ['x'] })).toMatchObject({
      message: 'invoice has no button link to fill in, but 1 button value(s) were given.',
      field: 'buttons',
    });
  });

  it('keeps the body checks as they were', () => {
    expect(refusal(newStock, { header: { link: LINK }, buttons: ['x'] })).toEqual({
      message: 'new_stock needs 1 value(s), one for each of {{1}}; 0 were given.',
      field: 'parameters',
    });
    expect(refusal(newStock, { parameters: ['a\tb'], header: { link: LINK }, buttons: ['x'] })).toMatchObject(
      {
        field: 'parameters.0',
      },
    );
  });
});
