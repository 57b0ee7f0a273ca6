/**
 * Errors of the tenant API client, in the manner of well-kept API SDKs: one base class,
 * `APIError` carrying status, code, message and request id, one subclass per status family,
 * and connection errors carrying their cause. The mapping from status to class lives here only;
 * what a failure means to a Pulumi user is worded in provider/core/messages.ts.
 */
export class CauseFlowError extends Error {
  override name = "CauseFlowError";
  /**
   * Set by the client when some attempt of the call may have been carried out though its answer
   * was lost (a 5xx, a timeout or a reset after sending; or a success whose body was unreadable):
   * a POST may then have created its tenant.
   */
  unknownOutcome = false;
  /** Set by the client when the call gave up because retries were stopped (the run was cancelled), not because they ran out. */
  retriesStopped = false;
}

/** The request an error answers, for messages that must say where they looked. */
export interface FailedRequest {
  method: string;
  url: string;
}

export class APIError extends CauseFlowError {
  override name = "APIError";
  constructor(
    readonly status: number,
    /** The API's error code, lower-cased (the service has answered with upper-case codes too). */
    readonly code: string | undefined,
    /** The API's own human text. */
    readonly apiMessage: string | undefined,
    readonly requestId: string | undefined,
    readonly details: Record<string, unknown> | undefined,
    readonly request?: FailedRequest,
  ) {
    const parts = [`HTTP ${status}`, code, apiMessage].filter(Boolean).join(" ");
    super(requestId ? `${parts} (request ${requestId})` : parts);
  }

  /** Builds the right subclass from a response that was not a success. */
  static fromResponse(status: number, body: unknown, requestId: string | undefined, request?: FailedRequest): APIError {
    const fields = errorBodyFields(body);
    const code = fields.error?.toLowerCase();
    // A body that is not the API's JSON (an HTML page from a proxy, say) still says something useful.
    const message = fields.message ?? (typeof body === "string" && body ? summarize(body) : undefined);
    const ErrorClass = errorClassFor(status);
    return new ErrorClass(status, code, message, requestId, fields.details, request);
  }
}

export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
export class ConflictError extends APIError {
  override name = "ConflictError";
}
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

function errorClassFor(status: number): typeof APIError {
  switch (status) {
    case 400:
    case 422:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? InternalServerError : APIError;
  }
}

/** The request never produced a response: refused, reset, DNS, TLS. */
export class APIConnectionError extends CauseFlowError {
  override name = "APIConnectionError";
  constructor(
    message: string,
    /** undici's or Node's error code, such as ECONNREFUSED or UND_ERR_SOCKET. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
}

/**
 * The API's own answer that a tenant does not exist: 404 with the JSON error code `not_found`.
 * A 404 without it (an HTML page from a proxy, say) says nothing about the tenant. Even this
 * answer proves the tenant gone only from a URL that serves the tenant API, since a web framework
 * answers the same for a path it does not serve: see `CauseFlowClient.probeTenantApi`.
 */
export function isTenantNotFound(error: unknown): error is NotFoundError {
  return error instanceof NotFoundError && error.code === "not_found";
}

/** A success status whose body is not the tenant the API documents. */
export class UnexpectedResponseError extends CauseFlowError {
  override name = "UnexpectedResponseError";
  constructor(
    message: string,
    readonly status: number,
    readonly requestId: string | undefined,
  ) {
    super(requestId ? `${message} (request ${requestId})` : message);
  }
}

/** The API's error body, read defensively: any field may be missing, of another type, or oddly cased. */
function errorBodyFields(body: unknown): { error?: string; message?: string; details?: Record<string, unknown> } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return {};
  const { error, message, details } = body as Record<string, unknown>;
  return {
    error: typeof error === "string" ? error : undefined,
    message: typeof message === "string" ? message : undefined,
    details: typeof details === "object" && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : undefined,
  };
}

function summarize(text: string): string {
  const oneLine = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

/**
 * What the tenant list answered when asked whether a base URL serves the tenant API. `definite`
 * when the answer says it does not (a 404, a body that is no tenant list); otherwise (a 5xx, a
 * refused token) it could not be told.
 */
export type TenantApiProbe = { serves: true } | { serves: false; definite: boolean; request: FailedRequest; answer: string };
