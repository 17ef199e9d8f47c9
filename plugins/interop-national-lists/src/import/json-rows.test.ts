// The streaming JSON reader: arrays and JSON Lines, chunked anywhere, with line numbers, and the
// malformed files it must refuse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseJsonRows, type JsonElement } from './json-rows.js';

async function collect(chunks: string[]): Promise<JsonElement[]> {
  const out: JsonElement[] = [];
  for await (const e of parseJsonRows((async function* () { yield* chunks; })())) out.push(e);
  return out;
}

async function failure(chunks: string[]): Promise<string> {
  try {
    await collect(chunks);
    return 'no error';
  } catch (error) {
    return `${(error as { code: string }).code} ${(error as Error).message}`;
  }
}

const ARRAY = '[\n  {"id": "1", "surname": "ERIKSSON", "note": "a } in a string, and a \\" quote"},\n  {"id": "2",\n   "aliases": ["X", "Y"]}\n]\n';

test('an array of objects, split at every position, gives the same elements and the lines they start on', async () => {
  const whole = await collect([ARRAY]);
  assert.equal(whole.map((e) => [e.line, e.value.id]), [[2, '1'], [3, '2']]);
  assert.equal(whole[1]!.value.aliases, ['X', 'Y']);
  assert.is(whole[0]!.value.note, 'a } in a string, and a " quote');
  for (let i = 1; i < ARRAY.length; i++) assert.equal(await collect([ARRAY.slice(0, i), ARRAY.slice(i)]), whole, `split at ${i}`);
});

test('JSON Lines, one object a line', async () => {
  const rows = await collect(['{"id":"1"}\n{"id":"2"}\n\n{"id":"3"}']);
  assert.equal(rows.map((e) => [e.line, e.value.id]), [[1, '1'], [2, '2'], [4, '3']]);
});

test('non-objects, missing commas, trailing text, truncation and an empty file are refused with the line', async () => {
  assert.match(await failure(['[{"a":1}, 5]']), /^NATLIST_JSON_INVALID Line 1: the element starting with "5" is not an object/);
  assert.match(await failure(['[{"a":1}\n{"a":2}]']), /^NATLIST_JSON_INVALID Line 2: a comma or "\]" was expected/);
  assert.match(await failure(['[{"a":1}] x']), /text after the end of the array/);
  assert.match(await failure(['[{"a":1},\n{"a":']), /^NATLIST_JSON_INVALID Line 2: the file ends inside an element/);
  assert.match(await failure(['[{"a":1},']), /ends before the closing/);
  assert.match(await failure(['{"a":tru}']), /^NATLIST_JSON_INVALID Line 1: not valid JSON/);
  assert.match(await failure(['"just a string"']), /must start with "\["/);
  assert.match(await failure(['  \n ']), /^NATLIST_FILE_EMPTY/);
});

test.run();
