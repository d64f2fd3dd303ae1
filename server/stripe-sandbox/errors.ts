// Stripe-shaped API errors: `{ error: { type, code, message, param } }` with the HTTP status Stripe uses.

export type StripeErrorType =
  | "invalid_request_error"
  | "idempotency_error"
  | "api_error";

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
    /** Errors raised after the endpoint started executing are stored for idempotent replay, as Stripe does. */
    readonly replayable = false,
  ) {
    super(message);
  }

  toBody(): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.code) error.code = this.code;
    if (this.param) error.param = this.param;
    return { error };
  }
}

export function invalidParam(param: string, message: string, code = "parameter_invalid"): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, code, param);
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", `Missing required param: ${param}.`, "parameter_missing", param);
}

export function unknownParam(param: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", `Received unknown parameter: ${param}`, "parameter_unknown", param);
}

export function resourceMissing(kind: string, id: string): StripeApiError {
  return new StripeApiError(404, "invalid_request_error", `No such ${kind}: '${id}'`, "resource_missing", "id");
}
