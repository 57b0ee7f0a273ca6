import { APIConnectionError, APIError, NotFoundError } from "../../../../provider/client/errors";
import { failedCall, lostAnswer, noTenantWithSlug, slugTaken, untrustedNotFound } from "../../../../provider/core/messages";

describe("failedCall", () => {
  const api = (status: number, code: string) => APIError.fromResponse(status, { error: code, message: "m" }, "req_9");

  it("names the operation, the tenant, the status, the code and the request id", () => {
    const text = failedCall("create", "acme", api(409, "slug_conflict"));
    expect(text).toMatch(/^Could not create CauseFlow tenant "acme": HTTP 409 slug_conflict m \(request req_9\)\./);
    expect(text).toMatch(/slug "acme" is already taken/);
  });

  it.each([
    [401, "unauthorized", /pulumi config set --secret causeflow:apiToken/],
    [403, "forbidden", /admin role; member users and API keys \(cflo_…\) cannot manage tenants/],
    [429, "rate_limit_exceeded", /causeflow:maxAttempts/],
    [503, "service_unavailable", /try again later/],
  ])("tells what to do about %i", (status, code, remedy) => {
    expect(failedCall("update", "acme", api(status, code))).toMatch(remedy);
  });

  it("after a cancelled run, says to run again rather than to wait out or widen the retry budget", () => {
    const cut = api(429, "rate_limit_exceeded");
    cut.retriesStopped = true;
    expect(failedCall("create", "acme", cut)).toMatch(/\. Run `pulumi up` again to carry on\.$/);
    expect(failedCall("create", "acme", cut)).not.toMatch(/maxAttempts/);
  });

  it("tells how to recover from a tenant deleted behind Pulumi's back", () => {
    expect(failedCall("update", "acme", api(404, "not_found"))).toMatch(/pulumi refresh/);
  });

  it("describes connection failures and foreign errors", () => {
    expect(failedCall("read", "a", new APIConnectionError("request to http://x failed (ECONNREFUSED)", "ECONNREFUSED"))).toMatch(/ECONNREFUSED\)\. The API could not be reached/);
    expect(failedCall("read", "a", new Error("boom"))).toBe('Could not read CauseFlow tenant "a": boom');
  });
});

describe("untrustedNotFound", () => {
  const notFound = NotFoundError.fromResponse(404, "<html>Not Found</html>", undefined, { method: "GET", url: "https://proxy.example/v1/tenants/ten_1" }) as NotFoundError;

  it("names the URL that answered, what it answered, and where to look, and keeps the tenant", () => {
    const text = untrustedNotFound("acme", "ten_1", notFound);
    expect(text).toMatch(/^Could not read CauseFlow tenant "acme" \(ten_1\): GET https:\/\/proxy\.example\/v1\/tenants\/ten_1 answered HTTP 404 Not Found/);
    expect(text).toMatch(/not the tenant API's own answer/);
    expect(text).toMatch(/The tenant stays in the stack\. Check causeflow:apiUrl/);
  });

  it("says when the tenant list proves the URL serves no tenant API", () => {
    const probe = { serves: false as const, definite: true, request: { method: "GET", url: "https://proxy.example/v1/tenants" }, answer: "HTTP 404" };
    expect(untrustedNotFound("acme", "ten_1", notFound, probe)).toMatch(/\(the tenant list\) answered HTTP 404, so this URL does not serve the CauseFlow tenant API/);
  });
});

describe("lostAnswer", () => {
  const failed = 'Could not create CauseFlow tenant "acme": request failed.';

  it("says nothing was created when no tenant with the name and plan holds the slug and every one could be read", () => {
    expect(lostAnswer.notFound(failed, { name: "Acme", plan: "pro" }, false, 0)).toBe(`${failed} No tenant with its name and plan holds the slug afterwards: nothing was created.`);
  });

  it("does not claim nothing was created when some tenants could not be read", () => {
    const text = lostAnswer.notFound(failed, { name: "Acme", plan: "pro" }, false, 2);
    expect(text).not.toMatch(/nothing was created/);
    expect(text).toMatch(/2 tenant\(s\) with its name and plan could not be read by this token/);
  });
});

it("noTenantWithSlug counts the tenants the token could not read", () => {
  expect(noTenantWithSlug("acme", 0)).toBe('no tenant this token can see and read holds slug "acme"');
  expect(noTenantWithSlug("acme", 3)).toMatch(/\(3 could not be read: reads are for users of a tenant\)$/);
});

it("names a tenant by at most 100 characters of its slug, so that the message reaches the engine", () => {
  const text = failedCall("read", "a".repeat(100_000), new Error("no tenant"));
  expect(text).toBe(`Could not read CauseFlow tenant "${"a".repeat(100)}…": no tenant`);
});

describe("slugTaken", () => {
  const holder = { tenantId: "ten_1", name: "Acme Corp", plan: "pro", createdAt: "2026-12-07T10:00:00Z" };

  it("names the holder, says why it is not taken, and gives the plugin's resource its import command", () => {
    const text = slugTaken("acme", holder, "urn:pulumi:prod::fleet::causeflow:index:Tenant::acme");
    expect(text).toContain('by tenant ten_1 ("Acme Corp", plan pro, created 2026-12-07T10:00:00Z)');
    expect(text).toContain("the CauseFlow API cannot say which program or run created it");
    expect(text).toContain("`pulumi import causeflow:index:Tenant acme ten_1 --yes --protect=false --generate-code=false`");
  });

  it("quotes a name the shell would split, and asks for the parent of a resource inside a component", () => {
    expect(slugTaken("acme", holder, "urn:pulumi:prod::fleet::causeflow:index:Tenant::acme corp")).toContain("causeflow:index:Tenant 'acme corp' ten_1");
    expect(slugTaken("acme", holder, "urn:pulumi:prod::fleet::my:index:Org$causeflow:index:Tenant::acme")).toMatch(
      /pulumi import causeflow:index:Tenant acme ten_1 --parent <parent's name>=<parent's URN, from `pulumi stack --show-urns`> --yes/,
    );
  });

  it("points a dynamic resource, whose URN its provider is not told, at adoptExisting", () => {
    const text = slugTaken("acme", holder, undefined);
    expect(text).not.toContain("pulumi import");
    expect(text).toContain("set `adoptExisting: true` on this Tenant for one `pulumi up`");
  });
});
