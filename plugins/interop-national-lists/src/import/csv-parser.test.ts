// The CSV parser on the cases RFC 4180 and spreadsheet exports produce, fed whole and split at every
// possible chunk boundary (the file arrives in stream chunks), and the errors it must not guess past.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CsvParser, detectDelimiter, type CsvRecord } from './csv-parser.js';

function parseWhole(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/** The same text pushed in two pieces at every split point must give the same records. */
function parseAllSplits(text: string): CsvRecord[] {
  const whole = parseWhole(text);
  for (let i = 1; i < text.length; i++) {
    const parser = new CsvParser();
    const records = [...parser.push(text.slice(0, i)), ...parser.push(text.slice(i)), ...parser.end()];
    assert.equal(records, whole, `split at ${i}`);
  }
  return whole;
}

test('quoted fields with delimiters, doubled quotes and line breaks; the line each record starts on', () => {
  const text = 'id,surname,aliases\r\n1,"O""BRIEN","A, B"\r\n2,"MULTI\nLINE",x\n3,PLAIN,\n';
  assert.equal(parseAllSplits(text), [
    { line: 1, fields: ['id', 'surname', 'aliases'] },
    { line: 2, fields: ['1', 'O"BRIEN', 'A, B'] },
    { line: 3, fields: ['2', 'MULTI\nLINE', 'x'] },
    { line: 5, fields: ['3', 'PLAIN', ''] },
  ]);
});

test('a byte-order mark is dropped, blank lines are skipped but counted, the last line needs no break, CR alone ends a line', () => {
  assert.equal(parseAllSplits('\uFEFFa,b\n\n1,2\r3,4'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 3, fields: ['1', '2'] },
    { line: 4, fields: ['3', '4'] },
  ]);
});

test('semicolon and tab files are recognised from the header', () => {
  assert.is(detectDelimiter('id;surname;given_names'), ';');
  assert.is(detectDelimiter('id\tsurname'), '\t');
  assert.is(detectDelimiter('single'), ',');
  assert.equal(parseWhole('a;b\n"x;y";z\n').map((r) => r.fields), [['a', 'b'], ['x;y', 'z']]);
});

test('a stray quote, text after a closing quote and an unterminated quote are errors with the line', () => {
  const code = (text: string) => {
    try {
      parseWhole(text);
      return 'no error';
    } catch (error) {
      return `${(error as { code: string }).code} ${(error as Error).message}`;
    }
  };
  assert.match(code('a,b\n1,x"y\n'), /^NATLIST_CSV_INVALID Line 2: a quote inside an unquoted field/);
  assert.match(code('a,b\n1,"x"y\n'), /^NATLIST_CSV_INVALID Line 2: unexpected "y" after a closing quote/);
  assert.match(code('a,b\n1,2\n3,"open\n\n'), /^NATLIST_CSV_INVALID Line 3: a quoted field is not closed/);
});

test('a record longer than the limit stops the parser instead of buffering the rest of the file', () => {
  const parser = new CsvParser({ maxRecordChars: 100 });
  parser.push('a,b\n1,"');
  assert.throws(() => parser.push('x'.repeat(200)), (e: Error & { code?: string }) => e.code === 'NATLIST_FILE_TOO_LARGE' && /Line 2/.test(e.message));
});

test.run();
