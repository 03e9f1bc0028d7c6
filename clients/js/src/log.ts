import type { GatewayMetadata } from './options.js';

/** A log row in detail, as `getLog` returns it: `created_at` as a Date and `metadata` as an object. */
export type AiGatewayLog = {
  id: string;
  provider: string;
  model: string;
  model_type?: string;
  path: string;
  duration: number;
  request_type?: string;
  request_content_type?: string;
  status_code: number;
  response_content_type?: string;
  success: boolean;
  cached: boolean;
  tokens_in?: number;
  tokens_out?: number;
  metadata?: GatewayMetadata;
  step?: number;
  cost?: number;
  custom_cost?: boolean;
  request_size: number;
  request_head?: string;
  request_head_complete: boolean;
  response_size: number;
  response_head?: string;
  response_head_complete: boolean;
  created_at: Date;
  /** The row's `cf-aig-event-id`. */
  event_id?: string | null;
  /** -1 (down), 0 (none) or 1 (up). */
  feedback?: number;
  score?: number | null;
  [field: string]: unknown;
};

/** What `patchLog` may change; a field left out stays as it is, `null` clears it. */
export type AiGatewayPatchLog = {
  score?: number | null;
  feedback?: -1 | 0 | 1 | null;
  metadata?: GatewayMetadata | null;
};

/** The wire row carries `metadata` as a JSON-encoded string and `created_at` as ISO-8601 text. */
export function logFromWire(row: Record<string, unknown>): AiGatewayLog {
  let metadata: GatewayMetadata | undefined;
  if (typeof row.metadata === 'string') {
    try {
      metadata = JSON.parse(row.metadata) as GatewayMetadata;
    } catch {
      metadata = undefined;
    }
  } else if (typeof row.metadata === 'object' && row.metadata !== null) {
    metadata = row.metadata as GatewayMetadata;
  }

  return {
    ...row,
    metadata,
    created_at: new Date(String(row.created_at)),
  } as AiGatewayLog;
}
