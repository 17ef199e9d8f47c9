/** Basic Access Control (ICAO Doc 9303 part 11 §4.3): keys, both halves of the handshake, and a runner over ApduChannel. */

export { mrzInformation, type BacMrzInput } from './mrz-information.js';
export {
  bacCardRespond,
  bacTerminalAuthenticate,
  bacTerminalChallenge,
  bacTerminalComplete,
  deriveBacKeys,
  deriveBacSessionKeys,
  type BacCardInput,
  type BacKeys,
  type BacSessionKeys,
  type BacTerminalAuthentication,
  type BacTerminalInput,
} from './bac.js';
export { performBac, type PerformBacOptions } from './perform-bac.js';
