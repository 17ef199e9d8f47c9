/**
 * Test fixtures shared by the trust and passive-auth tests: the BSI TR-03105 reference data sets
 * read from the shared data folder, and a BER (indefinite-length) re-encoding of an EF.SOD.
 * Not used at run time. Certificates the tests need beyond the data sets come from the SDK's test
 * PKI (`@tessera/sdk/emrtd/issuer`: createTestCsca, createCaCertificate, …).
 */

import { readFileSync } from 'node:fs';
import { concatBytes, type DerContext, DerNode, encodeTlv, parseDer } from '@tessera/sdk/emrtd';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'test fixture', code: 'PA_ASN1_MALFORMED', hint: 'A test fixture is not well-formed DER.' };

export const DATA_DIR = new URL('../../../../../shared/data/', import.meta.url);

export function readData(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, DATA_DIR)));
}

/** EF.SOD and the data-group files (DatagroupN.bin) of a BSI TR-03105 set. */
export function loadBsiSet(year: 2008 | 2013): { sod: Uint8Array; dataGroups: Map<number, Uint8Array> } {
  const dir = `bsi-tr03105-${year}/`;
  const dataGroups = new Map<number, Uint8Array>();
  for (let dg = 1; dg <= 16; dg++) {
    try {
      dataGroups.set(dg, readData(`${dir}Datagroup${dg}.bin`));
    } catch {
      // not in the set
    }
  }
  return { sod: readData(`${dir}EF_SOD.bin`), dataGroups };
}

const EOC = Uint8Array.of(0, 0);
const indefinite = (tag: number, ...parts: Uint8Array[]) => concatBytes(Uint8Array.of(tag, 0x80), ...parts, EOC);

/** Every constructed node in indefinite form (leaves untouched). */
function allIndefinite(node: DerNode): Uint8Array {
  if (!node.constructed) return node.raw;
  return indefinite(node.raw[0]!, ...node.children.map(allIndefinite));
}

/**
 * Re-encodes an EF.SOD the way a BER encoder may: indefinite lengths everywhere except inside the
 * certificates (whose signatures cover their DER), and the eContent as a chunked OCTET STRING.
 */
export function toIndefiniteSod(sod: Uint8Array): Uint8Array {
  const wrapper = parseDer(sod, DER, { allowTrailing: true });
  const ci = wrapper.child(0);
  const sd = ci.child(1).child(0);
  const [version, digestAlgs, encap, ...rest] = sd.children;
  const content = encap!.child(1).child(0).value;
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < content.length; i += 50) chunks.push(encodeTlv(0x04, content.subarray(i, i + 50)));
  const encapBer = indefinite(0x30, encap!.child(0).raw, indefinite(0xa0, indefinite(0x24, ...chunks)));
  const restBer = rest.map((n) => (n.raw[0] === 0xa0 ? n.raw : allIndefinite(n)));
  const sdBer = indefinite(0x30, version!.raw, allIndefinite(digestAlgs!), encapBer, ...restBer);
  return indefinite(0x77, indefinite(0x30, ci.child(0).raw, indefinite(0xa0, sdBer)));
}
