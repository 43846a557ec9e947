import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../shared/template-text';
import { bodyComponents, parameterProblem, parametersNamed, templateShape } from './template-parameters';

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
    expect(templateShape([body('Hello World')])).toEqual({
      body: 'Hello World',
      parameters: [],
      unsendable: null,
    });
    expect(templateShape([])).toEqual({ body: null, parameters: [], unsendable: null });
    expect(templateShape(['junk', null, 3])).toEqual({ body: null, parameters: [], unsendable: null });
  });

  it('says why a template cannot be sent from here', () => {
    expect(templateShape([{ type: 'HEADER', format: 'IMAGE' }, body('New stock!')]).unsendable).toMatch(
      /header is image/,
    );
    expect(
      templateShape([{ type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}' }, body('x')]).unsendable,
    ).toMatch(/header has a value/);
    expect(
      templateShape([
        body('Track it'),
        { type: 'BUTTONS', buttons: [{ type: 'URL', url: 'https://shop.ng/t/{{1}}' }] },
      ]).unsendable,
    ).toMatch(/button has a link/);
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
