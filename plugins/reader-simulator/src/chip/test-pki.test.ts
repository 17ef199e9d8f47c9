import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as emrtd from '@tessera/sdk/emrtd';
import { decodeTlvObject } from '@tessera/sdk/emrtd';
import { specimenCatalogue } from '../specimens/specimen-catalogue.js';
import { DocumentIssuer } from './document-issuer.js';
import { CRL_FILE, MASTER_LIST_FILE, PKI_DIR_NAME } from './test-pki.js';
import { inspectSignedData, inspectSod, openBacSession, readWholeFile } from './test-terminal.js';
import { EF_SOD } from '@tessera/sdk/emrtd';

const sdk = emrtd as unknown as Record<string, ((bytes: Uint8Array) => unknown) | undefined>;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('the PKI is written to <dataDir>/test-pki and reused by a second issuer on the same folder', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-sim-pki-'));
  try {
    const first = await new DocumentIssuer({ dataDir }).pki();
    assert.is(first.loaded, false);
    const names = await readdir(join(dataDir, PKI_DIR_NAME));
    for (const name of [MASTER_LIST_FILE, CRL_FILE, 'UTO-csca.cer', 'UTO-csca.key', 'UTO-dsc.cer', 'UTO-dsc.key']) assert.ok(names.includes(name), name);
    assert.not.ok(names.some((n) => n.endsWith('.tmp')));

    const secondIssuer = new DocumentIssuer({ dataDir });
    const second = await secondIssuer.pki();
    assert.is(second.loaded, true);
    assert.is(hex(second.csca.der), hex(first.csca.der));
    assert.is(hex(second.dsc.der), hex(first.dsc.der));

    // A chip issued by the second store is signed by the persisted DSC.
    const td3 = specimenCatalogue().find((d) => d.id === 'genuine-td3')!;
    const { channel } = await openBacSession(secondIssuer, td3, 'genuine');
    const sod = inspectSod(await readWholeFile(channel, EF_SOD.fid));
    assert.is(hex(sod.certificates[0]), hex(first.dsc.der));
    assert.ok(sod.signatureValid);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('the master list file is a signed CSCA master list holding the UT CSCA (and the ZZ one)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-sim-pki-'));
  try {
    const pki = await new DocumentIssuer({ dataDir }).pki();
    const file = new Uint8Array(await readFile(join(dataDir, PKI_DIR_NAME, MASTER_LIST_FILE)));
    const signed = inspectSignedData(file);
    assert.ok(signed.signatureValid);
    const list = decodeTlvObject(signed.content).children![1].children!.map((c) => hex(c.raw));
    assert.ok(list.includes(hex(pki.csca.der)));
    assert.ok(list.includes(hex(pki.foreignCsca.der)));
    if (sdk.parseMasterList) {
      const parsed = sdk.parseMasterList(file) as { certificates: Uint8Array[] };
      assert.ok(parsed.certificates.map(hex).includes(hex(pki.csca.der)));
    }
    const crl = new Uint8Array(await readFile(join(dataDir, PKI_DIR_NAME, CRL_FILE)));
    assert.is(crl[0], 0x30);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('in memory when there is no data folder; a damaged folder is regenerated', async () => {
  const memory = new DocumentIssuer({ dataDir: '' });
  assert.is(memory.pkiDir, null);
  assert.is((await memory.pki()).loaded, false);
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-sim-pki-'));
  try {
    const first = await new DocumentIssuer({ dataDir }).pki();
    await rm(join(dataDir, PKI_DIR_NAME, 'UTO-dsc.key'));
    const again = await new DocumentIssuer({ dataDir }).pki();
    assert.is(again.loaded, false);
    assert.is.not(hex(again.csca.der), hex(first.csca.der));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.run();
