import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  describeFailure,
} from "../../../../provider/client/errors";

describe("APIError.fromResponse", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, APIError],
  ])("maps %i to its class", (status, ErrorClass) => {
    const error = APIError.fromResponse(status, { error: "x" }, undefined);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.constructor).toBe(ErrorClass);
  });

  it("carries status, code, message, details and request id", () => {
    const error = APIError.fromResponse(409, { error: "slug_conflict", message: "taken", details: { slug: "a" } }, "req_1");
    expect(error).toMatchObject({ status: 409, code: "slug_conflict", apiMessage: "taken", requestId: "req_1", details: { slug: "a" } });
    expect(error.message).toBe("HTTP 409 slug_conflict taken (request req_1)");
  });

  it("reads upper-case codes and bodies of the wrong shape without failing", () => {
    expect(APIError.fromResponse(404, { error: "NOT_FOUND" }, undefined).code).toBe("not_found");
    expect(APIError.fromResponse(500, { error: 42, message: ["x"], details: "no" }, undefined)).toMatchObject({ code: undefined, apiMessage: undefined, details: undefined });
    expect(APIError.fromResponse(502, undefined, undefined).message).toBe("HTTP 502");
  });

  it("summarizes an HTML error page from a proxy", () => {
    const error = APIError.fromResponse(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", undefined);
    expect(error.apiMessage).toBe("502 Bad Gateway");
  });
});

describe("describeFailure", () => {
  const api = (status: number, code: string) => APIError.fromResponse(status, { error: code, message: "m" }, "req_9");

  it("names the operation, the tenant, the status, the code and the request id", () => {
    const text = describeFailure("create", '"acme"', api(409, "slug_conflict"));
    expect(text).toMatch(/^Could not create CauseFlow tenant "acme": HTTP 409 slug_conflict m \(request req_9\)\./);
    expect(text).toMatch(/slug "acme" is already taken/);
  });

  it.each([
    [401, "unauthorized", /pulumi config set --secret causeflow:apiToken/],
    [403, "forbidden", /admin role; member users and API keys \(cflo_…\) cannot manage tenants/],
    [429, "rate_limit_exceeded", /causeflow:maxAttempts/],
    [503, "service_unavailable", /try again later/],
  ])("tells what to do about %i", (status, code, remedy) => {
    expect(describeFailure("update", '"acme"', api(status, code))).toMatch(remedy);
  });

  it("tells how to recover from a tenant deleted behind Pulumi's back", () => {
    expect(describeFailure("update", '"acme"', api(404, "not_found"))).toMatch(/pulumi refresh/);
  });

  it("describes connection failures and foreign errors", () => {
    expect(describeFailure("read", '"a"', new APIConnectionError("request to http://x failed (ECONNREFUSED)", "ECONNREFUSED"))).toMatch(/ECONNREFUSED\)\. The API could not be reached/);
    expect(describeFailure("read", '"a"', new Error("boom"))).toBe('Could not read CauseFlow tenant "a": boom');
  });
});
