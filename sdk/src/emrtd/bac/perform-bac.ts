/**
 * performBac: runs BAC over an ApduChannel (GET CHALLENGE, then EXTERNAL AUTHENTICATE, both
 * unprotected) and returns the terminal's secure-messaging session. Randomness is injected
 * and drawn in a fixed order (RND.IFD, then K.IFD) so a recorded trace replays exactly.
 */

import { TesseraError } from '../../errors.js';
import type { ApduChannel } from '../codec/apdu-channel.js';
import { describeStatusWord } from '../codec/status-words.js';
import { drawRandom, type RandomSource } from '../crypto/random.js';
import { TerminalSecureMessaging } from '../sm/secure-messaging.js';
import { bacTerminalAuthenticate, bacTerminalChallenge, bacTerminalComplete, deriveBacKeys } from './bac.js';
import type { BacMrzInput } from './mrz-information.js';

export interface PerformBacOptions {
  /** Install the new session on the channel so later commands are protected. Default true. */
  useOnChannel?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function performBac(
  channel: Pick<ApduChannel, 'send' | 'secureMessaging'>,
  mrz: string | BacMrzInput,
  random: RandomSource,
  options: PerformBacOptions = {},
): Promise<TerminalSecureMessaging> {
  const keys = deriveBacKeys(mrz);
  const sendOptions = { plain: true, signal: options.signal, timeoutMs: options.timeoutMs };
  const challenge = await channel.send(bacTerminalChallenge(), sendOptions);
  if (!challenge.ok) {
    throw new TesseraError('EMRTD_BAC_FAILED', `The chip refused GET CHALLENGE: ${describeStatusWord(challenge.sw)}`, {
      hint: 'The chip may not support BAC (PACE-only documents), or the eMRTD application was not selected.',
      details: { reason: 'GET CHALLENGE', sw: challenge.sw },
    });
  }
  if (challenge.data.length !== 8) {
    throw new TesseraError('EMRTD_BAC_FAILED', `The chip's challenge has ${challenge.data.length} bytes instead of 8`, {
      hint: 'The chip is not following ICAO Doc 9303; retry, then treat it as faulty.',
      details: { reason: 'RND.IC length', sw: challenge.sw },
    });
  }
  const rndIc = challenge.data.slice();
  const rndIfd = drawRandom(random, 8, 'RND.IFD');
  const kIfd = drawRandom(random, 16, 'K.IFD');
  const auth = bacTerminalAuthenticate({ rndIc, rndIfd, kIfd, keys });
  const answer = await channel.send(auth.command, sendOptions);
  if (!answer.ok) {
    throw new TesseraError('EMRTD_BAC_FAILED', `The chip refused EXTERNAL AUTHENTICATE: ${describeStatusWord(answer.sw)}`, {
      hint: 'The document number, date of birth or date of expiry is most likely wrong: the chip could not verify the terminal. Check them against the MRZ.',
      details: { reason: 'EXTERNAL AUTHENTICATE', sw: answer.sw },
    });
  }
  const session = bacTerminalComplete({ rndIc, rndIfd, kIfd, keys, responseData: answer.data });
  const sm = new TerminalSecureMessaging({ algorithm: '3DES', ksEnc: session.ksEnc, ksMac: session.ksMac, ssc: session.ssc });
  if (options.useOnChannel !== false) channel.secureMessaging = sm;
  return sm;
}
