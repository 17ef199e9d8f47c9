// BAC: MRZ_information, keys and both halves of the handshake against Doc 9303 part 11 App. D,
// then performBac over an ApduChannel to a small virtual chip, replaying App. D.4 on the wire.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTesseraError } from '../../errors.js';
import type { ChipTransport } from '../../contracts/chip-transport.js';
import { decodeCommandApdu, encodeCommandApdu, type CommandApdu } from '../codec/apdu.js';
import { ApduChannel } from '../codec/apdu-channel.js';
import { concatBytes, fromHex, toHex } from '../codec/bytes.js';
import { CardSecureMessaging } from '../sm/secure-messaging.js';
import {
  bacCardRespond,
  bacTerminalAuthenticate,
  bacTerminalChallenge,
  bacTerminalComplete,
  deriveBacKeys,
  mrzInformation,
  performBac,
  type BacMrzInput,
} from './index.js';

function throwsCode(fn: () => unknown, code: string): Error {
  try {
    fn();
  } catch (error) {
    assert.ok(isTesseraError(error), String(error));
    assert.is((error as { code: string }).code, code, (error as Error).message);
    return error as Error;
  }
  assert.unreachable(`expected ${code}`);
  throw new Error('unreachable');
}

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isTesseraError(error), String(error));
    assert.is((error as { code: string }).code, code, (error as Error).message);
    return error as Error;
  }
  assert.unreachable(`expected ${code}`);
  throw new Error('unreachable');
}

// ICAO Doc 9303 part 11, Appendix D.
const SPECIMEN: BacMrzInput = { documentNumber: 'L898902C<', birthDate: '690806', expiryDate: '940623' };
const RND_IC = fromHex('4608F91988702212');
const RND_IFD = fromHex('781723860C06C226');
const K_IFD = fromHex('0B795240CB7049B01C19B33E32804F0B');
const K_IC = fromHex('0B4F80323EB3191CB04970CB4052790B');
const E_IFD = '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2';
const M_IFD = '5F1448EEA8AD90A7';
const E_IC = '46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F';
const M_IC = '2F2D235D074D7449';

test('MRZ_information: the specimen, short and long document numbers', () => {
  assert.is(mrzInformation(SPECIMEN), 'L898902C<369080619406236');
  assert.is(mrzInformation({ ...SPECIMEN, documentNumber: 'L898902C' }), 'L898902C<369080619406236');
  assert.is(mrzInformation({ ...SPECIMEN, documentNumber: ' l898902c ' }), 'L898902C<369080619406236');
  // Longer than 9: used whole, check digit over the whole number (Doc 9303 part 5 TD1 example).
  assert.is(mrzInformation({ documentNumber: 'D23145890734', birthDate: '740812', expiryDate: '120415' }), 'D23145890734' + '9' + '7408122' + '1204159');
  assert.is(mrzInformation({ documentNumber: '123', birthDate: '69<<<<', expiryDate: '940623' }), '123<<<<<<' + '6' + '69<<<<' + '9' + '9406236'); // 1·7+2·3+3·1 = 16; 6·7+9·3 = 69
  for (const bad of [
    { ...SPECIMEN, documentNumber: '' },
    { ...SPECIMEN, documentNumber: '<<<' },
    { ...SPECIMEN, documentNumber: 'L898-902C' },
    { ...SPECIMEN, birthDate: '1969-08-06' },
    { ...SPECIMEN, expiryDate: '94062' },
    { ...SPECIMEN, expiryDate: 940623 as unknown as string },
  ]) throwsCode(() => mrzInformation(bad), 'EMRTD_BAC_MRZ_INVALID');
});

test('document basic access keys (App. D.2)', () => {
  for (const input of [SPECIMEN, 'L898902C<369080619406236'] as const) {
    const keys = deriveBacKeys(input);
    assert.is(toHex(keys.kSeed), '239AB9CB282DAF66231DC5A4DF6BFBAE');
    assert.is(toHex(keys.kEnc), 'AB94FDECF2674FDFB9B391F85D7F76F2');
    assert.is(toHex(keys.kMac), '7962D9ECE03D1ACD4C76089DCE131543');
  }
  throwsCode(() => deriveBacKeys('L898902C<3'), 'EMRTD_BAC_MRZ_INVALID');
});

test('terminal half of the mutual authentication (App. D.3)', () => {
  const keys = deriveBacKeys(SPECIMEN);
  assert.equal(bacTerminalChallenge(), { cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, ne: 8 });
  const auth = bacTerminalAuthenticate({ rndIc: RND_IC, rndIfd: RND_IFD, kIfd: K_IFD, keys });
  assert.is(toHex(auth.eIfd), E_IFD);
  assert.is(toHex(auth.mIfd), M_IFD);
  assert.is(toHex(auth.commandData), E_IFD + M_IFD);
  assert.is(toHex(encodeCommandApdu(auth.command)), '0082000028' + E_IFD + M_IFD + '28');
  const session = bacTerminalComplete({ rndIc: RND_IC, rndIfd: RND_IFD, kIfd: K_IFD, keys, responseData: fromHex(E_IC + M_IC) });
  assert.is(toHex(session.kIc), toHex(K_IC));
  assert.is(toHex(session.ksSeed), '0036D272F5C350ACAC50C3F572D23600');
  assert.is(toHex(session.ksEnc), '979EC13B1CBFE9DCD01AB0FED307EAE5');
  assert.is(toHex(session.ksMac), 'F1CB1F1FB5ADF208806B89DC579DC1F8');
  assert.is(toHex(session.ssc), '887022120C06C226');
  throwsCode(() => bacTerminalAuthenticate({ rndIc: RND_IC.subarray(0, 7), rndIfd: RND_IFD, kIfd: K_IFD, keys }), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('card half of the mutual authentication (App. D.3) produces E_IC || M_IC', () => {
  const keys = deriveBacKeys(SPECIMEN);
  const card = bacCardRespond({ commandData: fromHex(E_IFD + M_IFD), rndIc: RND_IC, kIc: K_IC, keys });
  assert.is(toHex(card.responseData), E_IC + M_IC);
  assert.is(toHex(card.rndIfd), toHex(RND_IFD));
  assert.is(toHex(card.kIfd), toHex(K_IFD));
  assert.is(toHex(card.ksEnc), '979EC13B1CBFE9DCD01AB0FED307EAE5');
  assert.is(toHex(card.ksMac), 'F1CB1F1FB5ADF208806B89DC579DC1F8');
  assert.is(toHex(card.ssc), '887022120C06C226');
});

test('BAC failures say what failed', () => {
  const keys = deriveBacKeys(SPECIMEN);
  const input = { rndIc: RND_IC, rndIfd: RND_IFD, kIfd: K_IFD, keys };
  const badMac = fromHex(E_IC + M_IC);
  badMac[39] ^= 0x80;
  assert.match(throwsCode(() => bacTerminalComplete({ ...input, responseData: badMac }), 'EMRTD_BAC_FAILED').message, /M_IC/);
  assert.match(throwsCode(() => bacTerminalComplete({ ...input, responseData: fromHex(E_IC) }), 'EMRTD_BAC_FAILED').message, /32 bytes/);
  // A chip answering another terminal's nonce: the MAC is right, the echoed RND.IFD is not.
  const other = bacTerminalAuthenticate({ ...input, rndIfd: fromHex('0000000000000001') });
  const answer = bacCardRespond({ commandData: other.commandData, rndIc: RND_IC, kIc: K_IC, keys });
  assert.match(throwsCode(() => bacTerminalComplete({ ...input, responseData: answer.responseData }), 'EMRTD_BAC_FAILED').message, /RND\.IFD/);
  // The terminal encrypted a stale challenge.
  const stale = bacTerminalAuthenticate({ ...input, rndIc: fromHex('0102030405060708') });
  const error = throwsCode(() => bacCardRespond({ commandData: stale.commandData, rndIc: RND_IC, kIc: K_IC, keys }), 'EMRTD_BAC_FAILED');
  assert.match(error.message, /RND\.IC/);
  assert.is((error as unknown as { details: { sw: number } }).details.sw, 0x6300);
  // Wrong MRZ: the chip's key cannot verify the terminal's MAC.
  const wrongKeys = deriveBacKeys({ ...SPECIMEN, birthDate: '690807' });
  assert.match(throwsCode(() => bacCardRespond({ commandData: fromHex(E_IFD + M_IFD), rndIc: RND_IC, kIc: K_IC, keys: wrongKeys }), 'EMRTD_BAC_FAILED').message, /M_IFD/);
  throwsCode(() => bacCardRespond({ commandData: fromHex(E_IFD), rndIc: RND_IC, kIc: K_IC, keys }), 'EMRTD_BAC_FAILED');
});

/** A virtual eMRTD chip: BAC with fixed nonces, then secure messaging over a few files. */
class VirtualChip implements ChipTransport {
  readonly maxCommandLength = 65544;
  readonly maxResponseLength = 65538;
  readonly log: string[] = [];
  tamper: ((response: Uint8Array) => Uint8Array) | undefined;
  private sm: CardSecureMessaging | undefined;
  private selected: Uint8Array | undefined;

  constructor(
    private readonly mrz: BacMrzInput,
    private readonly files: Map<number, Uint8Array>,
    private readonly challengeSw = 0x9000,
  ) {}

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.log.push(toHex(command));
    let response: Uint8Array;
    if ((command[0] & 0x0c) === 0x0c && this.sm) {
      try {
        const plain = this.sm.unprotectCommand(command);
        const [data, sw] = this.handle(plain);
        response = this.sm.protectResponse(data, sw);
      } catch (error) {
        this.sm = undefined;
        response = status((error as { details?: { sw?: number } }).details?.sw ?? 0x6988);
      }
    } else {
      const [data, sw] = this.handle(decodeCommandApdu(command));
      response = concatBytes(data, status(sw));
    }
    this.log.push(toHex(response));
    return this.tamper ? this.tamper(response) : response;
  }

  async close(): Promise<void> {}

  private handle(command: CommandApdu): [Uint8Array, number] {
    const none = new Uint8Array(0);
    switch (command.ins) {
      case 0xa4: {
        if (command.p1 === 0x04) return [none, 0x9000];
        const fid = (command.data![0] << 8) | command.data![1];
        this.selected = this.files.get(fid);
        return [none, this.selected ? 0x9000 : 0x6a82];
      }
      case 0x84:
        return [this.challengeSw === 0x9000 ? RND_IC : none, this.challengeSw];
      case 0x82:
        try {
          const result = bacCardRespond({ commandData: command.data!, rndIc: RND_IC, kIc: K_IC, keys: deriveBacKeys(this.mrz) });
          this.sm = new CardSecureMessaging({ algorithm: '3DES', ksEnc: result.ksEnc, ksMac: result.ksMac, ssc: result.ssc });
          return [result.responseData, 0x9000];
        } catch {
          return [none, 0x6300];
        }
      case 0xb0: {
        if (!this.selected) return [none, 0x6986];
        const offset = (command.p1 << 8) | command.p2;
        return [this.selected.slice(offset, offset + (command.ne ?? 0)), 0x9000];
      }
      default:
        return [none, 0x6d00];
    }
  }
}

function status(sw: number): Uint8Array {
  return Uint8Array.of(sw >> 8, sw & 0xff);
}

/** Injected randomness that hands out the App. D nonces in the documented order. */
function appendixDRandom(): (n: number) => Uint8Array {
  const queue = [RND_IFD, K_IFD];
  return (n) => {
    const next = queue.shift()!;
    assert.is(n, next.length);
    return next;
  };
}

const EF_COM = fromHex('60145F0104303130365F36063034303030305C026175');

test('performBac over ApduChannel replays App. D.3 and D.4 on the wire', async () => {
  const chip = new VirtualChip(SPECIMEN, new Map([[0x011e, EF_COM]]));
  const channel = new ApduChannel(chip);
  const sm = await performBac(channel, SPECIMEN, appendixDRandom());
  assert.is(channel.secureMessaging, sm);
  assert.is(toHex(sm.ssc), '887022120C06C226');
  await channel.selectFile(0x011e);
  const head = await channel.readBinary(0, 4);
  assert.is(toHex(head), '60145F01');
  const rest = await channel.readBinary(4, 0x12);
  assert.is(toHex(concatBytes(head, rest)), toHex(EF_COM));
  assert.equal(chip.log, [
    '0084000008', '4608F919887022129000',
    '0082000028' + E_IFD + M_IFD + '28', E_IC + M_IC + '9000',
    '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800', '990290008E08FA855A5D4C50A8ED9000',
    '0CB000000D9701048E08ED6705417E96BA5500', '8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000',
    '0CB000040D9701128E082EA28A70F3C7B53500', '871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000',
  ]);
});

test('performBac: wrong MRZ, refused challenge, and a tampered response after BAC', async () => {
  const wrong = new VirtualChip(SPECIMEN, new Map());
  const error = await rejectsCode(performBac(new ApduChannel(wrong), { ...SPECIMEN, expiryDate: '940624' }, appendixDRandom()), 'EMRTD_BAC_FAILED');
  assert.match(error.message, /EXTERNAL AUTHENTICATE.*6300/);
  assert.match((error as unknown as { hint: string }).hint, /date of birth/);

  const noBac = new VirtualChip(SPECIMEN, new Map(), 0x6d00);
  assert.match((await rejectsCode(performBac(new ApduChannel(noBac), SPECIMEN, appendixDRandom()), 'EMRTD_BAC_FAILED')).message, /GET CHALLENGE/);

  const chip = new VirtualChip(SPECIMEN, new Map([[0x011e, EF_COM]]));
  const channel = new ApduChannel(chip);
  const sm = await performBac(channel, SPECIMEN, appendixDRandom(), { useOnChannel: true });
  await channel.selectFile(0x011e);
  chip.tamper = (response) => {
    const copy = response.slice();
    copy[copy.length - 3] ^= 0x01; // last MAC byte
    return copy;
  };
  await rejectsCode(channel.readBinary(0, 4), 'EMRTD_SM_MAC_INVALID');
  assert.ok(sm.closed);
  chip.tamper = undefined;
  await rejectsCode(channel.readBinary(0, 4), 'EMRTD_SM_SESSION_CLOSED');

  // A bad random source is a programming error, reported as such.
  const fresh = new VirtualChip(SPECIMEN, new Map());
  await rejectsCode(performBac(new ApduChannel(fresh), SPECIMEN, () => new Uint8Array(4)), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('performBac leaves the channel alone when asked to', async () => {
  const chip = new VirtualChip(SPECIMEN, new Map());
  const channel = new ApduChannel(chip);
  const sm = await performBac(channel, 'L898902C<369080619406236', appendixDRandom(), { useOnChannel: false });
  assert.is(channel.secureMessaging, undefined);
  assert.is(sm.algorithm, '3DES');
});

test.run();
