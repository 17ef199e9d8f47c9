/**
 * Writes icao-9303-11-appendix-g1.trace.json: a PACE replay trace built from ICAO Doc 9303 part 11
 * Appendix G.1 (PACE-ECDH-GM-AES-128 on brainpoolP256r1, MRZ password of the specimen T22000129).
 *
 * The appendix gives the exchange up to the authentication tokens: EF.CardAccess (its PACEInfo),
 * the nonce, all four key pairs and every PACE APDU. It stops there, so the secure-messaging steps
 * that follow (SELECT EF.COM and two READ BINARYs, the commands of Appendix D.4) are generated here
 * by the SDK's card side (PaceCard, CardSecureMessaging) with the session keys G.1 derives
 * (KS_enc F5F0E35C…, KS_MAC FE251C78…). They check Tessera against itself; the PACE steps check it
 * against the appendix.
 *
 *   node --import tsx plugins/emrtd/examples/make-pace-trace.ts   rewrite the example
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CardSecureMessaging,
  concatBytes,
  decodeCommandApdu,
  decodePaceInfo,
  encodeResponseApdu,
  fromHex,
  PaceCard,
  TerminalSecureMessaging,
  toHex,
  type DecodedCommandApdu,
} from '@tessera/sdk/emrtd';

const G1 = {
  mrzInfo: 'T22000129364081251010318',
  paceInfo: '3012060A04007F0007020204020202010202010D',
  nonce: '3F00C4D39D153F2B2A214A078D899B22',
  terminalMappingKey: '7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99',
  chipMappingKey: '498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560',
  terminalEphemeralKey: 'A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595',
  chipEphemeralKey: '107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A',
};
/** EF.CardAccess: SET { the G.1 PACEInfo }. */
const CARD_ACCESS = `3114${G1.paceInfo}`;
/** EF.COM of Appendix D (LDS 1.7, DG1 and DG2). */
const EF_COM = fromHex('60145F0104303130365F36063034303030305C026175');

/** The terminal's commands of the appendix, in order (the replay engine must send exactly these). */
const PACE_COMMANDS = [
  '0022C1A40F800A04007F00070202040202830101',
  '10860000027C0000',
  '10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00',
  '10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200',
  '008600000C7C0A8508C2B0BD78D94BA86600',
];
const PLAIN_COMMANDS = ['00A4020C02011E', '00B0000004', '00B0000412'];

function queue(...values: string[]): (length: number) => Uint8Array {
  const left = values.map(fromHex);
  return (length) => {
    const next = left.shift();
    if (!next || next.length !== length) throw new Error(`no ${length}-byte value left for the card`);
    return next;
  };
}

/** The card's file system under secure messaging: SELECT by file id and READ BINARY of EF.COM. */
function fileCommand(command: DecodedCommandApdu, selected: { file?: Uint8Array }): { data: Uint8Array; sw: number } {
  if (command.ins === 0xa4) {
    selected.file = command.data.length === 2 && ((command.data[0]! << 8) | command.data[1]!) === 0x011e ? EF_COM : undefined;
    return { data: new Uint8Array(0), sw: selected.file ? 0x9000 : 0x6a82 };
  }
  if (command.ins === 0xb0 && selected.file) {
    const offset = (command.p1 << 8) | command.p2;
    return { data: selected.file.slice(offset, offset + command.ne), sw: 0x9000 };
  }
  return { data: new Uint8Array(0), sw: 0x6d00 };
}

export function buildPaceG1Trace(): Record<string, unknown> {
  const card = new PaceCard({ paceInfos: [decodePaceInfo(fromHex(G1.paceInfo))], mrz: G1.mrzInfo, random: queue(G1.nonce, G1.chipMappingKey, G1.chipEphemeralKey) });
  const steps: Array<{ command: string; response: string }> = [];
  let sm: CardSecureMessaging | undefined;
  for (const hex of PACE_COMMANDS) {
    const answer = card.respond(decodeCommandApdu(fromHex(hex)));
    steps.push({ command: hex, response: toHex(encodeResponseApdu(answer.data, answer.sw)) });
    sm = answer.secureMessaging ?? sm;
  }
  if (!sm) throw new Error('PACE did not finish: the G.1 values no longer agree with the card side');
  // The terminal's protected commands are what Tessera's terminal side makes of the plain ones; the
  // card side checks them and protects its answers with the same keys.
  const terminal = new TerminalSecureMessaging({ algorithm: 'AES128', ...sm.sessionKeys() });
  const selected: { file?: Uint8Array } = {};
  const plain: Array<{ command: string; response: string }> = [];
  for (const hex of PLAIN_COMMANDS) {
    const wire = terminal.protectCommand(decodeCommandApdu(fromHex(hex)));
    const answer = fileCommand(sm.unprotectCommand(wire), selected);
    const protectedAnswer = sm.protectResponse(answer.data, answer.sw);
    terminal.unprotectResponse(protectedAnswer);
    steps.push({ command: toHex(wire), response: toHex(protectedAnswer) });
    plain.push({ command: hex, response: toHex(concatBytes(answer.data, Uint8Array.of(answer.sw >> 8, answer.sw & 0xff))) });
  }
  return {
    description:
      'ICAO Doc 9303 part 11 Appendix G.1: PACE-ECDH-GM-AES-128 on brainpoolP256r1 with the MRZ of T22000129. The five PACE steps are the appendix\'s APDUs; the appendix ends at the tokens, so the three secure-messaging steps after them (SELECT EF.COM, READ BINARY ×2, as in D.4) were generated by the SDK\'s card side with the G.1 session keys (see make-pace-trace.ts).',
    access: { protocol: 'PACE', mrzInfo: G1.mrzInfo, cardAccess: CARD_ACCESS },
    terminalRandom: G1.terminalMappingKey + G1.terminalEphemeralKey,
    steps,
    plain,
  };
}

const OUTPUT = fileURLToPath(new URL('./icao-9303-11-appendix-g1.trace.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUTPUT, JSON.stringify(buildPaceG1Trace(), null, 2) + '\n');
  console.log(`wrote ${OUTPUT}`);
}
