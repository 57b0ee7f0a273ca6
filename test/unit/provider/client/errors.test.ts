import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
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
