/**
 * The one catalogue of the host's stable error codes. docs/error-codes.md lists the same codes
 * (a test keeps the two in step); codes never change meaning once released.
 */
export const ERROR_CODES = {
  // Plugin discovery and manifests
  TSR_MANIFEST_UNREADABLE: 'The plugin folder has a tessera-plugin.json that cannot be read or is not valid JSON.',
  TSR_MANIFEST_INVALID: 'The plugin manifest does not match the manifest schema.',
  TSR_PLUGIN_DUPLICATE_ID: 'Two plugin folders declare the same plugin id.',
  TSR_PLUGIN_HOST_INCOMPATIBLE: "The plugin's engines.tessera range excludes this host's API version. (A plugin whose engines.hosts excludes this host is simply disabled.)",
  TSR_PLUGIN_LOAD_FAILED: "The plugin's main module could not be imported.",
  TSR_PLUGIN_DEFINITION_INVALID: 'The main module does not default-export a definePlugin(...) result, or its id differs from the manifest.',
  // Dependencies
  TSR_PLUGIN_DEPENDENCY_MISSING: 'A plugin named in requires is not installed.',
  TSR_PLUGIN_DEPENDENCY_DISABLED: 'A plugin named in requires is installed but disabled by configuration.',
  TSR_PLUGIN_DEPENDENCY_VERSION: 'A required plugin is installed in a version outside the required range.',
  TSR_PLUGIN_DEPENDENCY_FAILED: 'A required plugin failed; this plugin cannot run without it.',
  TSR_PLUGIN_DEPENDENCY_CYCLE: 'Plugins require each other in a cycle.',
  TSR_PLUGIN_UNKNOWN_DEPENDENCY_REF: "The plugin's deps name a service or extension point the host does not offer.",
  // Lifecycle
  TSR_PLUGIN_CONFIG_INVALID: "The plugin's configuration does not match its configSchema.",
  TSR_PLUGIN_MIGRATION_FAILED: "One of the plugin's database migrations failed; it was rolled back.",
  TSR_PLUGIN_INIT_FAILED: "The plugin's init threw an error.",
  TSR_PLUGIN_INIT_TIMEOUT: "The plugin's init did not finish within the time limit.",
  TSR_PLUGIN_START_FAILED: "The plugin's start hook threw or timed out.",
  TSR_PLUGIN_STOP_FAILED: "The plugin's stop hook threw or timed out (logged; the host still stops).",
  TSR_CONTRIBUTION_UNDECLARED: 'The plugin added a contribution its manifest does not declare under contributes.',
  TSR_CONTRIBUTION_DUPLICATE: 'Another plugin already contributed an item with the same id.',
  TSR_CONTRIBUTION_INVALID: 'The contributed object lacks a member its contract requires, or arrived after its plugin failed or stopped.',
  // Host configuration and environment
  TSR_CONFIG_UNREADABLE: 'The host configuration file cannot be read or is not valid JSON.',
  TSR_CONFIG_INVALID: 'The host configuration does not match its schema.',
  TSR_CONFIG_UNKNOWN_PLUGIN: 'The configuration names a plugin id that no plugin folder provides (reported as a warning; the host starts).',
  TSR_CONFIG_UNKNOWN_PROFILE: 'The configured BCP profile does not exist in the configuration.',
  TSR_DATA_FOLDER_MISSING: 'The data folder does not exist.',
  TSR_DATA_FOLDER_UNUSABLE: 'The data folder exists but cannot be written, or is not a folder.',
  TSR_DATABASE_UNAVAILABLE: 'The host database could not be opened or reached.',
  TSR_PORT_IN_USE: 'The port the host should listen on is taken by another program.',
  TSR_HOST_START_FAILED: 'The host could not start for another reason, named in the message.',
  // Inspection
  TSR_READER_DEVICE_NOT_FOUND: 'The reader has no device with that id (unplugged, or a stale id).',
  TSR_READER_BUSY: 'The device is already scanning.',
  TSR_READER_NO_DOCUMENT: 'Nothing lies on the reader.',
  TSR_READER_ABORTED: 'The scan was cancelled.',
  TSR_READER_FAILED: 'The reader driver failed while scanning; the message names the cause.',
  TSR_SCAN_RESULT_INVALID: "The driver's scan result breaks the ReaderDriver contract.",
  TSR_INSPECTION_NOT_FOUND: 'No inspection with that id is stored on this host.',
  TSR_INTEROP_RESULT_NOT_FOUND: 'The inspection has no result from that database connector.',
  TSR_INTEROP_NOT_RETRYABLE: 'Only a connector result that could not be checked is queried again; a hit or no hit stands.',
  TSR_CONNECTOR_UNAVAILABLE: 'The connector that produced the result is no longer enabled, so it cannot be queried again.',
  TSR_HIT_CONFIRMATION_NOT_A_HIT: 'A confirmation with the issuing country can be recorded only for a database hit.',
  TSR_HIT_CONFIRMATION_INVALID: "The hit confirmation has an unknown outcome, lacks the reference its outcome needs, or a field is too long.",
  TSR_REPORT_TEMPLATE_NOT_FOUND: 'No enabled plugin provides the requested report template.',
  TSR_REPORT_RENDER_FAILED: 'The report template or Chromium failed to produce the PDF.',
  TSR_BROWSER_UNAVAILABLE: 'Chromium could not be found or started, so no PDF can be made.',
  TSR_REQUEST_INVALID: 'An HTTP request to the host API is malformed.',
  TSR_INTERNAL: 'An unexpected error inside the host; the host log has the details.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
