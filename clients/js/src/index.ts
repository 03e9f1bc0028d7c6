export { AIGatewayClient, type RunInputs } from './client.js';
export type { ClientOptions } from './connection.js';
export { AiGateway } from './gateway.js';
export { AiGatewayError, AiGatewayInternalError, AiGatewayLogNotFound } from './errors.js';
export type { AiGatewayLog, AiGatewayPatchLog } from './log.js';
export type {
  GatewayMetadata,
  GatewayOptions,
  GatewayOptionsNoId,
  GatewayRetries,
  RunOptions,
  UniversalHeaders,
  UniversalRequest,
  UniversalRunOptions,
} from './options.js';
export { AiGatewayStream, streamEvents } from './stream.js';
export type { ServerSentEvent } from './sse.js';
