/**
 * The browser-safe entry of `@wandb-api/core`: client, transport, config, paths, errors, pagination.
 * @module @wandb-api/core
 */
// @wandb-api/core: the browser-safe entry. Node builds get ./node.ts (adds netrc lookup).
export { WandbClient, createClient, type Document } from './client.js';
export type { DocumentTypeDecoration } from './document.js';
export { type Clock, systemClock } from './clock.js';
export {
  type ClientOptions,
  type ConfigFiles,
  type Credentials,
  type Logger,
  type LogLevel,
  type ResolvedConfig,
  DEFAULT_BASE_URL,
  DEFAULT_PROJECT,
  LAUNCH_PROJECT,
  USER_AGENT,
  appUrlFor,
  checkApiKey,
  checkTimeout,
  normaliseBaseUrl,
  resolveConfig,
} from './config.js';
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ChecksumError,
  ConflictError,
  ConnectionError,
  GraphQLError,
  type GraphQLErrorEntry,
  HTTPError,
  LaunchError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnsafePathError,
  UnsupportedError,
  ValidationError,
  WandbError,
  WriteMayHaveAppliedError,
  redact,
  scrub,
} from './errors.js';
export type { RequestEvent, RequestHooks, ResponseEvent } from './hooks.js';
export type {
  Comparable,
  FieldFilter,
  FieldOperators,
  FieldValue,
  FilterScalar,
  FilterValue,
  MongoFilter,
  OrderSign,
  PathValue,
  Paths,
  PrefixedFilters,
  Textual,
} from './filter.js';
export {
  INTERNAL_CONFIG_KEYS,
  type WrappedConfigValue,
  parseJson,
  parseJsonObject,
  stringifyJson,
  unwrapConfig,
  wrapConfig,
} from './json.js';
export { checkSupport, supports } from './needs.js';
export { type NetrcEntry, netrcKeyFor, parseNetrc } from './netrc.js';
export { Paginated, PaginationError, type PageResult, type PaginatedOptions, checkPerPage, deferPaginated, endCursorOf } from './paginate.js';
export { type PoolOptions, pool } from './pool.js';
export { type ParsedPath, type ProjectPath, type ReportPath, type RunPath, type SweepPath, parsePath, parseProjectPath, parseRunPath, parseSweepPath } from './paths.js';
export { type ResolvedProjectPath, type ResolvedRunPath, resolveEntity, resolveProjectPath, resolveRunPath } from './resolve.js';
export { anySignal, sleep, throwIfAborted } from './signal.js';
export { type BodyStream, openStream } from './stream.js';
export { type Call, type CallOptions, type SendOptions, Transport, type WriteKind, isRetryableStatus } from './transport.js';
export { VERSION } from './version.js';
export { type Viewer, getDefaultEntity, getServerFeatures, getViewer, hasServerFeature, isSchemaError } from './viewer.js';
// The documents Python's Api names as class constants (VIEWER_QUERY, DEFAULT_ENTITY_QUERY).
export { DefaultEntityDocument, ViewerDocument } from './generated/graphql.js';
