/**
 * Benchmark: how long a CSCA master list takes to load into the trust store (signature check,
 * signer chain, parsing and indexing of every certificate). Budget: ≤ 300 ms for ~600 certificates.
 * Not a test (timings depend on the machine); run it by hand:
 *
 *   node --import tsx plugins/emrtd/src/trust/bench-trust-store.ts
 *
 * Lists measured:
 *  - the real NL master list of December 2021 (306 certificates), from the shared reference data;
 *  - a synthetic list of 600 certificates derived from it: each NL certificate's subject name,
 *    used for two CSCAs with freshly generated keys (EC P-256), new serials and key identifiers,
 *    self-signed, and the whole list CMS-signed by a master-list signer issued by the first of
 *    them — a list the store fully verifies, built here with node:crypto and the DER helpers.
 * For each: the first (cold) load in a fresh process state, then the median of later loads.
 */

import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TrustStore } from './trust-store.js';
import { parseSignedData } from './cms.js';
import { ASN1, compareBytes, concatBytes, type DerContext, derInteger, derOid, encodeTlv, parseDer } from '@tessera/sdk/emrtd';
import { OID } from './oids.js';
import { buildEcCertificate, extension, keyIdentifier, readData, spkiOf, utcTime } from './test-fixtures.js';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'benchmark fixture', code: 'PA_ASN1_MALFORMED', hint: 'A benchmark fixture is not well-formed DER.' };

function time(label: string, bytes: Uint8Array, runs = 7): void {
  const samples: number[] = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    report = new TrustStore().addMasterList(bytes, { source: label });
    samples.push(performance.now() - t0);
  }
  const later = samples.slice(1).sort((a, b) => a - b);
  const median = later[Math.floor(later.length / 2)]!;
  console.log(
    `${label}: ${report!.total} certificates (${report!.added} added, ${report!.skipped.length} skipped), ` +
      `${(bytes.length / 1024).toFixed(0)} KiB — first load ${samples[0]!.toFixed(1)} ms, median of next ${later.length} ${median.toFixed(1)} ms`,
  );
}

// --- the synthetic list -------------------------------------------------------------------------

const seq = (...parts: Uint8Array[]) => encodeTlv(ASN1.SEQUENCE, [...parts]);

interface Issued {
  der: Uint8Array;
  key: KeyObject;
  name: Uint8Array;
  serial: Uint8Array;
  ski: Uint8Array;
}

function issue(subjectName: Uint8Array, serial: number, issuer: Issued | null, ca: boolean): Issued {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = spkiOf(privateKey);
  const ski = keyIdentifier(spki);
  const serialBytes = Uint8Array.of((serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff);
  const der = buildEcCertificate({
    serial: serialBytes,
    issuerName: issuer ? issuer.name : subjectName,
    subjectName,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    spki,
    authorityKeyId: issuer ? issuer.ski : ski,
    ca,
    keyUsage: ca ? 0x06 : 0x80,
    extraExtensions: ca ? [] : [extension(OID.extKeyUsage, true, seq(derOid(OID.cscaMasterListSigningKey)))],
    signingKey: issuer ? issuer.key : privateKey,
  });
  return { der, key: privateKey, name: subjectName, serial: serialBytes, ski };
}

function signMasterList(certs: Uint8Array[], signer: Issued): Uint8Array {
  const content = seq(encodeTlv(ASN1.INTEGER, Uint8Array.of(0)), encodeTlv(ASN1.SET, [...[...certs].sort(compareBytes)]));
  const attr = (oid: string, value: Uint8Array) => seq(derOid(oid), encodeTlv(ASN1.SET, value));
  const attrs = [
    attr(OID.contentType, derOid(OID.cscaMasterList)),
    attr(OID.signingTime, utcTime(new Date())),
    attr(OID.messageDigest, encodeTlv(ASN1.OCTET_STRING, new Uint8Array(createHash('sha256').update(content).digest()))),
  ].sort(compareBytes);
  const signedAttrs = encodeTlv(ASN1.SET, [...attrs]);
  const signature = new Uint8Array(sign('sha256', signedAttrs, signer.key));
  const sha256 = seq(derOid(OID.sha256));
  const ecdsaSha256 = seq(derOid(OID.ecdsaWithSha256));
  const signerInfo = seq(
    encodeTlv(ASN1.INTEGER, Uint8Array.of(1)),
    seq(issuerNameOf(signer), derInteger(signer.serial)),
    sha256,
    concatBytes(Uint8Array.of(0xa0), signedAttrs.subarray(1)),
    ecdsaSha256,
    encodeTlv(ASN1.OCTET_STRING, signature),
  );
  const signedData = seq(
    encodeTlv(ASN1.INTEGER, Uint8Array.of(3)),
    encodeTlv(ASN1.SET, sha256),
    seq(derOid(OID.cscaMasterList), encodeTlv(0xa0, encodeTlv(ASN1.OCTET_STRING, content))),
    encodeTlv(0xa0, signer.der),
    encodeTlv(ASN1.SET, signerInfo),
  );
  return seq(derOid(OID.signedData), encodeTlv(0xa0, signedData));
}

function issuerNameOf(cert: Issued): Uint8Array {
  // issuer field of the TBS: the 4th element (after version, serial, signature algorithm).
  return parseDer(cert.der, DER).child(0).child(3).raw;
}

function syntheticList(count: number): Uint8Array {
  const nl = parseSignedData(readData('trust/NL_MASTERLIST_20211207.mls'));
  const names = parseDer(nl.eContent!, DER)
    .child(1)
    .children.map((cert) => {
      const tbs = cert.child(0);
      return tbs.child(tbs.child(0).tag === 0xa0 ? 5 : 4).raw; // subject
    });
  const cscas: Issued[] = [];
  for (let i = 0; i < count; i++) cscas.push(issue(names[i % names.length]!, 0x10000 + i, null, true));
  const signerName = seq(encodeTlv(ASN1.SET, seq(derOid('2.5.4.3'), encodeTlv(ASN1.UTF8_STRING, new TextEncoder().encode('Synthetic Master List Signer')))));
  const signer = issue(signerName, 1, cscas[0]!, false);
  return signMasterList(cscas.map((c) => c.der), signer);
}

// Each list in its own process, so that both first loads are cold (no JIT warm-up from the other).
const which = process.argv[2];
if (which === 'nl') {
  time('NL master list (real)', readData('trust/NL_MASTERLIST_20211207.mls'));
} else if (which === 'synthetic') {
  const t0 = performance.now();
  const synthetic = syntheticList(600);
  console.log(`(synthetic list of 600 built in ${(performance.now() - t0).toFixed(0)} ms, not part of the timing)`);
  time('synthetic master list', synthetic);
} else {
  const self = fileURLToPath(import.meta.url);
  for (const arg of ['nl', 'synthetic']) process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', self, arg], { encoding: 'utf8' }));
}
