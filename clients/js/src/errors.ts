/** A call the gateway refused or could not answer: its HTTP status, the gateway's numeric code when it sent one, and its message. */
export class AiGatewayError extends Error {
  /** The HTTP status of the answer. */
  readonly status: number;

  /** The gateway's or provider's error code (e.g. 2001 no such gateway), when the body carried one. */
  readonly code: number | string | undefined;

  /** The `cf-aig-log-id` of the failed request, when the gateway sent one. */
  readonly logId: string | null;

  constructor(message: string, status: number, code?: number | string, logId: string | null = null) {
    super(message);
    this.name = 'AiGatewayError';
    this.status = status;
    this.code = code;
    this.logId = logId;
  }
}

/** `getLog` or `patchLog` named a log the gateway does not hold (404). */
export class AiGatewayLogNotFound extends AiGatewayError {
  constructor(message: string, status = 404, code?: number | string) {
    super(message, status, code);
    this.name = 'AiGatewayLogNotFound';
  }
}

/** The logs API answered with anything but success or "not found" (a bad token, a bad request, a server error). */
export class AiGatewayInternalError extends AiGatewayError {
  constructor(message: string, status: number, code?: number | string) {
    super(message, status, code);
    this.name = 'AiGatewayInternalError';
  }
}

type ErrorDetail = { message: string; code: number | string | undefined };

/**
 * Reads the message and code out of any error shape the gateway answers in: Cloudflare's v4 envelope
 * (`errors[]`), the gateway's own (`error[]`, `internalCode`), OpenAI's (`error.message`), Anthropic's
 * (`error.message` under `type: error`); anything else is quoted as text.
 */
export async function readErrorDetail(response: Response, fallback: string): Promise<ErrorDetail> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return { message: fallback, code: undefined };
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: text.trim() || fallback, code: undefined };
  }

  return detailOf(body) ?? { message: fallback, code: undefined };
}

function detailOf(body: unknown): ErrorDetail | undefined {
  if (!isObject(body)) {
    return undefined;
  }

  const list = Array.isArray(body.errors) ? body.errors : Array.isArray(body.error) ? body.error : undefined;
  if (list && list.length > 0 && isObject(list[0])) {
    return { message: String(list[0].message ?? ''), code: codeOf(list[0].code) };
  }

  if (isObject(body.error)) {
    return { message: String(body.error.message ?? ''), code: codeOf(body.error.code ?? body.error.type) };
  }

  if (typeof body.message === 'string') {
    return { message: body.message, code: codeOf(body.internalCode) };
  }

  return undefined;
}

function codeOf(value: unknown): number | string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
