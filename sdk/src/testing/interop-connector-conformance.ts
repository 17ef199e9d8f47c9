/**
 * The InteropConnector conformance suite: a known hit is a hit, a known miss is a miss, and an
 * unreachable service is "not checked" with a reason — never a silent pass.
 *
 *   interopConnectorConformance({ create, knownHit, knownMiss, createUnreachable }).run();
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DocumentQuery, InteropConnector, InteropQueryContext } from '../index.js';

export interface InteropConformanceOptions {
  create: () => InteropConnector | Promise<InteropConnector>;
  name?: string;
  knownHit: DocumentQuery;
  knownMiss: DocumentQuery;
  /** The same connector pointed at a service that does not answer (closed port, missing file). */
  createUnreachable?: () => InteropConnector | Promise<InteropConnector>;
}

function context(signal = new AbortController().signal): InteropQueryContext {
  return { actor: 'conformance-suite', purpose: 'border-control', signal };
}

export function interopConnectorConformance(options: InteropConformanceOptions) {
  const test = suite<{ connector: InteropConnector }>(`InteropConnector conformance: ${options.name ?? 'connector'}`, {} as { connector: InteropConnector });
  test.before.each(async (ctx) => {
    ctx.connector = await options.create();
  });

  test('declares what it can query', ({ connector }) => {
    assert.ok(/^[a-z][a-z0-9.-]*$/.test(connector.id), `connector id "${connector.id}" must be lower-case kebab/dotted`);
    assert.ok(connector.displayName.trim());
    assert.ok(connector.queries.length > 0);
    if (connector.queries.includes('document')) assert.type(connector.queryDocument, 'function');
    if (connector.queries.includes('person')) assert.type(connector.queryPerson, 'function');
  });

  test('a known document is a hit with its record', async ({ connector }) => {
    const result = await connector.queryDocument!(options.knownHit, context());
    assert.is(result.connectorId, connector.id);
    assert.is(result.outcome, 'hit');
    assert.ok(result.records.length > 0, 'a hit carries at least one record');
    for (const r of result.records) assert.ok(r.status, 'every record has a status');
    assert.ok(!Number.isNaN(Date.parse(result.checkedAt)), 'checkedAt must be ISO 8601');
  });

  test('an unknown document is no hit, with no records', async ({ connector }) => {
    const result = await connector.queryDocument!(options.knownMiss, context());
    assert.is(result.outcome, 'no_hit');
    assert.is(result.records.length, 0);
  });

  test('the query is not fooled by case or filler characters', async ({ connector }) => {
    const q = options.knownHit;
    const result = await connector.queryDocument!({ ...q, documentNumber: `${q.documentNumber.toLowerCase()}<<`, issuingState: q.issuingState.toLowerCase() }, context());
    assert.is(result.outcome, 'hit');
  });

  test('an unreachable service is not_checked with a reason, never no_hit', async () => {
    if (!options.createUnreachable) return;
    const connector = await options.createUnreachable();
    let outcome: string;
    let reason: string | undefined;
    try {
      const result = await connector.queryDocument!(options.knownMiss, context());
      outcome = result.outcome;
      reason = result.reason;
    } catch (error) {
      // Throwing is tolerated (the host turns it into not_checked) but must carry a code.
      outcome = 'not_checked';
      reason = (error as { code?: string }).code;
    }
    assert.is(outcome, 'not_checked');
    assert.ok(reason && reason.length > 3, 'not_checked needs a reason the officer can act on');
  });

  return test;
}
