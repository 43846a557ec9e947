import { describe, expect, it } from 'vitest';
import { faqsToCsv, parseCsv, readFaqCsv } from './faq-csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, escaped quotes and line breaks', () => {
    const { rows, errors } = parseCsv('a,"b, c","say ""hi""","two\nlines"\nx,y,z,w\n');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"', 'two\nlines'] },
      { line: 3, fields: ['x', 'y', 'z', 'w'] },
    ]);
  });

  it('strips a BOM, accepts CRLF and a lone CR, skips empty lines', () => {
    const { rows, errors } = parseCsv('\uFEFFq,a\r\n\r\n1,2\r\n\n3,"4\r\n5"\r6,7');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 1, fields: ['q', 'a'] },
      { line: 3, fields: ['1', '2'] },
      { line: 5, fields: ['3', '4\r\n5'] },
      { line: 7, fields: ['6', '7'] },
    ]);
  });

  it('keeps empty fields and a trailing comma', () => {
    expect(parseCsv('a,,\n').rows).toEqual([{ line: 1, fields: ['a', '', ''] }]);
  });

  it('reports a broken row with its line and goes on with the next', () => {
    const { rows, errors } = parseCsv('ok,1\nbad "quote,2\n"x"y,3\nok,4\n');
    expect(rows.map((r) => r.line)).toEqual([1, 4]);
    expect(errors).toEqual([
      { line: 2, message: expect.stringContaining('a quote inside an unquoted field in column 1') },
      { line: 3, message: expect.stringContaining('text after a closing quote in column 1') },
    ]);
  });

  it('refuses an oversized field and stops at an unclosed quote', () => {
    const big = parseCsv(`a,${'x'.repeat(50)}\nb,c\n`, { maxField: 20 });
    expect(big.rows).toEqual([{ line: 2, fields: ['b', 'c'] }]);
    expect(big.errors[0]).toEqual({ line: 1, message: 'column 2 is too long (50 characters, at most 20)' });
    const open = parseCsv('a,b\nc,"never closed\nd,e\n');
    expect(open.rows).toEqual([{ line: 1, fields: ['a', 'b'] }]);
    expect(open.errors).toEqual([{ line: 2, message: expect.stringContaining('never closed') }]);
  });
});

describe('readFaqCsv', () => {
  it('needs the header and reports too many or too few columns', () => {
    expect(readFaqCsv('').errors).toEqual([{ line: 1, message: 'the file is empty' }]);
    expect(readFaqCsv('foo,bar\n').errors[0]!.message).toMatch(/first row must name the columns/);
    const { faqs, errors } = readFaqCsv(
      'question,answer,phrasings,enabled\nHours?,9-5,open?|when open,yes\nToo,few\nA,b,c,no,extra\nX,Y,,maybe\n',
    );
    expect(faqs).toEqual([
      { line: 2, question: 'Hours?', answer: '9-5', phrasings: ['open?', 'when open'], enabled: true },
    ]);
    expect(errors).toEqual([
      { line: 3, message: expect.stringContaining('too few columns: 2 instead of 4') },
      { line: 4, message: expect.stringContaining('too many columns: 5 instead of 4') },
      { line: 5, message: 'enabled must be yes or no, not "maybe"' },
    ]);
  });

  it('round-trips what faqsToCsv writes', () => {
    const faqs = [
      {
        question: 'Do you deliver, and where?',
        answer: 'Yes: "Lekki"\nand Ikeja',
        phrasings: ['delivery', 'una dey deliver'],
        enabled: true,
      },
      { question: ' Price ', answer: 'N5,000', phrasings: [], enabled: false },
    ];
    const read = readFaqCsv(faqsToCsv(faqs));
    expect(read.errors).toEqual([]);
    expect(read.faqs.map(({ line: _line, ...f }) => f)).toEqual(faqs);
  });
});
