/** Secure messaging (ICAO Doc 9303 part 11 §9.8) for the terminal and the card side. */

export {
  CardSecureMessaging,
  SecureMessaging,
  TerminalSecureMessaging,
  type ProtectCommandOptions,
  type SecureMessagingKeys,
} from './secure-messaging.js';
