/**
 * ISO/IEC 7816-4 codecs for the eMRTD library: BER-TLV, command and response APDUs, status
 * words, and the terminal's APDU channel over a ChipTransport. Pure except ApduChannel, which
 * talks only through the transport it is given.
 */

export { bytesEqual, bytesToUint, concatBytes, fromHex, toHex, uintToBytes, uintToMinimalBytes } from './bytes.js';
export {
  decodeTlv,
  decodeTlvHeader,
  decodeTlvObject,
  DEFAULT_MAX_TLV_DEPTH,
  encodeLength,
  encodeTag,
  encodeTlv,
  findAllTlv,
  findTlv,
  tagToHex,
  type TlvDecodeOptions,
  type TlvHeader,
  type TlvNode,
  type TlvTag,
} from './ber-tlv.js';
export {
  decodeCommandApdu,
  encodeCommandApdu,
  encodeResponseApdu,
  needsExtendedLength,
  parseResponseApdu,
  type CommandApdu,
  type DecodedCommandApdu,
  type EncodeCommandOptions,
  type ResponseApdu,
} from './apdu.js';
export {
  describeStatusWord,
  STATUS_WORDS,
  statusWordText,
  SW_END_OF_FILE,
  SW_FILE_NOT_FOUND,
  SW_OK,
  SW_SECURITY_STATUS_NOT_SATISFIED,
  SW_SM_DATA_OBJECTS_INCORRECT,
  SW_SM_DATA_OBJECTS_MISSING,
} from './status-words.js';
export { ApduChannel, EMRTD_AID, statusError, type ApduChannelOptions, type CommandProtector, type SendOptions } from './apdu-channel.js';
