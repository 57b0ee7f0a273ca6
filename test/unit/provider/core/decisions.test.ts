import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  adoptionConflicts,
  checkTenant,
  CREATION_TIME_ALLOWANCE_MS,
  diffTenant,
  inputsFromOutputs,
  planCreate,
  planPatch,
  previewWarnings,
  propertyPath,
  provenanceDoubts,
  sameEmailAddress,
  toOutputs,
  unappliedFields,
} from "../../../../provider/core/decisions";
import { z } from "zod";
import { AUTO_REMEDIATION_CAUTION, EMAIL_PATTERN, UNKNOWN_VALUE } from "../../../../provider/core/tenantRules";
import { type ApiTenant, type TenantInputs } from "../../../../provider/core/tenantSchema";
import { REPO_ROOT } from "../../../support/repo";

const valid = { name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com" };
const failuresOf = (news: Record<string, unknown>, olds: Record<string, unknown> = {}) =>
  Object.fromEntries(checkTenant(olds, news).failures.map((f) => [f.property, f.reason]));

describe("checkTenant", () => {
  it("accepts a minimal tenant and fills in the default plan", () => {
    const { inputs, failures } = checkTenant({}, valid);
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ ...valid, plan: "starter" });
  });

  it("normalizes key order, null settings and empty settings so an unchanged program never differs", () => {
    const a = checkTenant({}, { settings: { awsRegion: "us-east-1", awsRoleArn: null }, ownerEmail: valid.ownerEmail, slug: valid.slug, name: valid.name });
    const b = checkTenant({}, { ...valid, plan: "starter", settings: { awsRegion: "us-east-1" } });
    expect(JSON.stringify(a.inputs)).toBe(JSON.stringify(b.inputs));
    expect(checkTenant({}, { ...valid, settings: {} }).inputs).not.toHaveProperty("settings");
    expect(checkTenant({}, { ...valid, settings: { awsRegion: undefined } }).inputs).not.toHaveProperty("settings");
    expect(checkTenant({}, { ...valid, plan: null }).inputs.plan).toBe("starter");
  });

  it.each([
    [{ slug: "Acme_Corp" }, "slug", /lowercase letters, digits and hyphens/],
    [{ ownerEmail: "not-an-email" }, "ownerEmail", /valid email/],
    [{ plan: "gold" }, "plan", /starter, pro, business, enterprise/],
    [{ name: "   " }, "name", /must contain a visible character: it is empty, blank, or only invisible characters/],
    [{ name: "\u200b\u200b\u200b" }, "name", /only invisible characters such as zero-width spaces/],
    [{ name: "\u3164" }, "name", /only invisible characters/],
    [{ name: "Acme\u0000Corp" }, "name", /must not contain control characters such as a newline, a tab or NUL/],
    [{ name: "Acme\nCorp" }, "name", /must not contain control characters/],
    [{ settings: { awsRegion: "xx-foo-99" } }, "settings.awsRegion", /AWS region/],
    [{ settings: { awsRegion: "us-est-1" } }, "settings.awsRegion", /AWS region/],
    [{ name: 42 }, "name", /must be a string, got number/],
    [{ settings: { awsRoleArn: "arn:aws:iam::12:role/x" } }, "settings.awsRoleArn", /IAM role ARN/],
    [{ settings: { awsRoleArn: "arn:aws:s3:::bucket" } }, "settings.awsRoleArn", /IAM role ARN/],
    [{ settings: { awsRegion: "moon-base" } }, "settings.awsRegion", /AWS region/],
    [{ settings: { awsExternalId: "x" } }, "settings.awsExternalId", /2 to 1224/],
    [{ settings: { autoRemediation: "yes" } }, "settings.autoRemediation", /must be a boolean/],
    [{ settings: { awsRoleARN: "arn" } }, "settings.awsRoleARN", /not a known setting/],
    [{ settings: "us-east-1" }, "settings", /must be an object/],
    [{ region: "us-east-1" }, "region", /not an input of causeflow.Tenant/],
  ])("names the property and the fix for %j", (patch, property, reason) => {
    const failures = failuresOf({ ...valid, ...patch });
    expect(Object.keys(failures)).toEqual([property]);
    expect(failures[property]).toMatch(reason);
  });

  it("reports every missing required input", () => {
    expect(Object.keys(failuresOf({}))).toEqual(["name", "slug", "ownerEmail"]);
    expect(failuresOf({})["slug"]).toMatch(/is required/);
  });

  it("accepts ARNs in other partitions and with paths, and regions of every shape", () => {
    const settings = { awsRoleArn: "arn:aws-us-gov:iam::123456789012:role/team/CauseFlow", awsRegion: "us-gov-west-1", awsExternalId: "ab:c/d=e" };
    expect(checkTenant({}, { ...valid, settings }).failures).toEqual([]);
  });

  it.each(["us-east-1", "us-gov-west-1", "eusc-de-east-1", "ap-southeast-7", "mx-central-1", "cn-northwest-1", "us-isob-east-1", "il-central-1", "ca-west-1"])(
    "accepts the region name %s",
    (awsRegion) => {
      expect(checkTenant({}, { ...valid, settings: { awsRegion } }).failures).toEqual([]);
    },
  );

  it("accepts names with accents, emoji and inner zero-width characters", () => {
    for (const name of ["Zürich Ärzte", "Acme 🚀", "Ac\u200bme", "株式会社"]) expect(checkTenant({}, { ...valid, name }).failures).toEqual([]);
  });

  it("lets unknown values through at any depth during preview", () => {
    expect(checkTenant({}, { ...valid, slug: UNKNOWN_VALUE }).failures).toEqual([]);
    expect(checkTenant({}, { ...valid, settings: UNKNOWN_VALUE }).failures).toEqual([]);
    expect(checkTenant({}, { ...valid, settings: { awsRoleArn: UNKNOWN_VALUE, autoRemediation: UNKNOWN_VALUE } }).failures).toEqual([]);
  });

  it("still rejects known bad values next to unknown ones", () => {
    expect(Object.keys(failuresOf({ ...valid, settings: { awsRoleArn: UNKNOWN_VALUE, awsRegion: "nowhere" } }))).toEqual(["settings.awsRegion"]);
  });

  it("uses the engine's own unknown sentinel", () => {
    expect(UNKNOWN_VALUE).toBe(pulumi.runtime.unknownValue);
  });

  // The reference page beside the repository, where this clone has it.
  const reference = path.resolve(REPO_ROOT, "..", "shared", "api", "update-tenant.txt");
  (existsSync(reference) ? it : it.skip)("quotes the API reference's caution word for word", () => {
    expect(readFileSync(reference, "utf8").replace(/\s+/g, " ")).toContain(AUTO_REMEDIATION_CAUTION);
  });

  it("checks emails by zod's own rule, which it holds without loading zod", () => {
    expect(String(EMAIL_PATTERN)).toBe(String(z.regexes.email));
  });

  it("refuses an owner email or plan change under the same slug, saying why and what to do", () => {
    const olds = { ...valid, plan: "pro" };
    const failures = failuresOf({ ...valid, ownerEmail: "new@acme.com", plan: "business" }, olds);
    expect(failures.ownerEmail).toMatch(/cannot change from "owner@acme.com" to "new@acme.com"/);
    expect(failures.ownerEmail).toMatch(/collide on slug "acme-corp"/);
    expect(failures.ownerEmail).toMatch(/new slug/);
    expect(failures.plan).toMatch(/change the plan in CauseFlow and run `pulumi refresh`/);
  });

  it("treats an owner email whose domain differs only in case as no change", () => {
    expect(failuresOf({ ...valid, ownerEmail: "owner@ACME.Com" }, valid)).toEqual({});
    expect(Object.keys(failuresOf({ ...valid, ownerEmail: "Owner@acme.com" }, valid))).toEqual(["ownerEmail"]);
  });

  it("allows owner email and plan to change together with the slug (a replacement)", () => {
    expect(failuresOf({ ...valid, slug: "acme-2", ownerEmail: "new@acme.com", plan: "pro" }, { ...valid, plan: "starter" })).toEqual({});
  });

  it("treats a missing old plan as the default when comparing", () => {
    expect(failuresOf({ ...valid, plan: "starter" }, valid)).toEqual({});
    expect(Object.keys(failuresOf({ ...valid, plan: "pro" }, valid))).toEqual(["plan"]);
  });

  it("accepts a plan label beyond the four when it is the plan the tenant already has", () => {
    const refreshed = { ...valid, plan: "community" };
    expect(failuresOf(refreshed, refreshed)).toEqual({});
    expect(Object.keys(failuresOf({ ...valid, plan: "starter" }, refreshed))).toEqual(["plan"]);
    expect(failuresOf({ ...valid, plan: "starter" }, refreshed).plan).toMatch(/cannot change from "community"/);
    expect(failuresOf({ ...valid, plan: "community" }).plan).toMatch(/must be one of starter, pro, business, enterprise/);
  });

  it("does not refuse a change it cannot see yet", () => {
    expect(failuresOf({ ...valid, ownerEmail: UNKNOWN_VALUE }, valid)).toEqual({});
  });
});

const outputs = {
  tenantId: "ten_1",
  ...valid,
  plan: "pro",
  status: "active",
  createdAt: "2026-01-01T00:00:00Z",
  settings: { awsRegion: "us-east-1", awsRoleArn: "arn:aws:iam::123456789012:role/A" },
};
const inputs = (patch: Partial<TenantInputs> = {}): TenantInputs =>
  ({ ...valid, plan: "pro", settings: { awsRegion: "us-east-1", awsRoleArn: "arn:aws:iam::123456789012:role/A" }, ...patch }) as TenantInputs;

describe("diffTenant", () => {
  it("sees nothing when the program matches the state, whatever the state's extra outputs", () => {
    expect(diffTenant(outputs, inputs())).toEqual({ replaces: [], updates: [] });
  });

  it("replaces on a slug change and updates name and each setting in place", () => {
    expect(diffTenant(outputs, inputs({ slug: "acme-2" })).replaces).toEqual(["slug"]);
    const changes = diffTenant(outputs, inputs({ name: "New", settings: { awsRegion: "eu-west-1" } }));
    expect(changes).toEqual({ replaces: [], updates: ["name", "settings.awsRoleArn", "settings.awsRegion"] });
  });

  it("ignores the __provider text and ownerEmail or plan (check refuses those)", () => {
    expect(diffTenant({ ...outputs, __provider: "old" }, { ...inputs(), __provider: "new" })).toEqual({ replaces: [], updates: [] });
  });

  it("counts unknown values as changes: a replacement for the slug, an update otherwise", () => {
    expect(diffTenant(outputs, inputs({ slug: UNKNOWN_VALUE })).replaces).toEqual(["slug"]);
    expect(diffTenant(outputs, { ...inputs(), settings: UNKNOWN_VALUE }).updates).toEqual(["settings"]);
    expect(diffTenant(outputs, inputs({ settings: { ...inputs().settings, awsRegion: UNKNOWN_VALUE } })).updates).toEqual(["settings.awsRegion"]);
  });
});

describe("planPatch", () => {
  it("sends only what changed", () => {
    expect(planPatch(outputs, inputs({ name: "Acme (Updated)" }))).toEqual({ name: "Acme (Updated)" });
    expect(planPatch(outputs, inputs({ settings: { ...inputs().settings, autoRemediation: true } }))).toEqual({ settings: { autoRemediation: true } });
  });

  it("clears a setting removed from the program with null, and all of them when settings go", () => {
    expect(planPatch(outputs, inputs({ settings: { awsRegion: "us-east-1" } }))).toEqual({ settings: { awsRoleArn: null } });
    expect(planPatch(outputs, inputs({ settings: undefined }))).toEqual({ settings: { awsRoleArn: null, awsRegion: null } });
  });

  it("is empty when nothing changed", () => {
    expect(planPatch(outputs, inputs())).toEqual({});
  });
});

describe("planCreate", () => {
  it("keeps autoRemediation out of the POST; planPatch against the created tenant then carries it", () => {
    const wanted = inputs({ settings: { awsRegion: "us-east-1", autoRemediation: false } });
    const body = planCreate(wanted);
    expect(body).toEqual({ ...valid, plan: "pro", settings: { awsRegion: "us-east-1" } });
    const created = toOutputs({ tenantId: "t", name: valid.name, slug: valid.slug, plan: "pro", status: "active", createdAt: "", settings: body.settings }, { ownerEmail: valid.ownerEmail, settings: wanted.settings });
    expect(planPatch(created, wanted)).toEqual({ settings: { autoRemediation: false } });
  });

  it("sends no empty settings, and no adoptExisting", () => {
    expect(planCreate(inputs({ settings: { autoRemediation: true } }))).not.toHaveProperty("settings");
    expect(planCreate({ ...inputs({ settings: undefined }), adoptExisting: true })).toEqual({ ...valid, plan: "pro" });
  });
});

describe("adoptionConflicts", () => {
  const existing: ApiTenant = { tenantId: "ten_9", name: "Old name", slug: "acme-corp", plan: "business", status: "active", createdAt: "" };
  it("accepts a tenant that differs only in what a PATCH can change", () => {
    expect(adoptionConflicts(existing, inputs({ plan: "business" }))).toEqual([]);
  });
  it("refuses a tenant on a plan no program can declare", () => {
    expect(adoptionConflicts({ ...existing, plan: "community" }, inputs({ plan: "pro" }))).toEqual([expect.stringMatching(/"community", which is not one a program can declare/)]);
  });
  it("refuses a tenant on another plan, saying how to adopt it", () => {
    expect(adoptionConflicts(existing, inputs({ plan: "pro" }))).toEqual([expect.stringMatching(/ten_9 .* on plan "business" in CauseFlow, but the program says "pro".* set plan to "business"/)]);
  });
});

describe("previewWarnings", () => {
  it("warns of a slug replacement with the old tenant's slug and id", () => {
    expect(previewWarnings.replacement("ten_1", outputs, { slug: "acme-2" })).toMatch(/"acme-corp" \(ten_1\) to "acme-2" replaces it: .*stays in CauseFlow, no longer managed/);
    expect(previewWarnings.replacement("ten_1", outputs, { slug: UNKNOWN_VALUE })).toMatch(/to a value known after apply/);
    expect(previewWarnings.replacement("ten_1", outputs, { slug: "acme-corp" })).toBeUndefined();
  });

  it("repeats the reference's caution only when autoRemediation turns on", () => {
    const on = { slug: "acme-corp", settings: { autoRemediation: true } };
    expect(previewWarnings.autoRemediation({}, on)).toBe(`CauseFlow tenant "acme-corp" is created with autoRemediation on. The API reference warns: "${AUTO_REMEDIATION_CAUTION}"`);
    expect(previewWarnings.autoRemediation({ slug: "acme-corp", settings: { autoRemediation: false } }, on)).toMatch(/^autoRemediation turns on for CauseFlow tenant "acme-corp"/);
    expect(previewWarnings.autoRemediation(on, on)).toBeUndefined();
    expect(previewWarnings.autoRemediation({}, { slug: "acme-corp", settings: { autoRemediation: false } })).toBeUndefined();
  });

  it("warns that autoRemediation may turn on when its value, or the whole settings, is not known yet", () => {
    const old = { slug: "acme-corp", settings: { autoRemediation: false } };
    expect(previewWarnings.autoRemediation(old, { slug: "acme-corp", settings: UNKNOWN_VALUE })).toMatch(
      /^autoRemediation may turn on for CauseFlow tenant "acme-corp": its settings are not known until the update runs\. The API reference warns: "When autoRemediation is enabled, approved remediations execute automatically/,
    );
    expect(previewWarnings.autoRemediation({}, { slug: "acme-corp", settings: { autoRemediation: UNKNOWN_VALUE } })).toMatch(/may turn on .*: the value is not known/);
    expect(previewWarnings.autoRemediation({ slug: "acme-corp", settings: { autoRemediation: true } }, { slug: "acme-corp", settings: UNKNOWN_VALUE })).toBeUndefined();
  });
});

describe("toOutputs and inputsFromOutputs", () => {
  const api: ApiTenant = {
    tenantId: "ten_1",
    name: "Acme Corp",
    slug: "acme-corp",
    plan: "community",
    status: "suspended",
    createdAt: "2026-01-01T00:00:00Z",
    settings: { awsRegion: "eu-west-1", autoRemediation: false, awsRoleArn: null },
  };

  it("keeps only the settings the program manages, with the API's values", () => {
    const out = toOutputs(api, { ownerEmail: "o@acme.com", settings: { awsRegion: "us-east-1", awsRoleArn: "arn:aws:iam::123456789012:role/A" } });
    expect(out.settings).toEqual({ awsRegion: "eu-west-1" });
    expect(out).toMatchObject({ plan: "community", status: "suspended", ownerEmail: "o@acme.com" });
  });

  it("keeps what was sent when the response has no settings (POST)", () => {
    const { settings: _, ...posted } = api;
    expect(toOutputs(posted, { ownerEmail: "o@acme.com", settings: { awsRegion: "us-east-1" } }).settings).toEqual({ awsRegion: "us-east-1" });
    expect(toOutputs(posted, { ownerEmail: "o@acme.com" })).not.toHaveProperty("settings");
  });

  it("turns refreshed outputs into inputs that check would produce", () => {
    const out = toOutputs(api, { ownerEmail: "o@acme.com", settings: { awsRegion: "us-east-1" } });
    const refreshed = inputsFromOutputs(out);
    expect(refreshed).toEqual({ name: "Acme Corp", slug: "acme-corp", ownerEmail: "o@acme.com", plan: "community", settings: { awsRegion: "eu-west-1" } });
    expect(Object.keys(refreshed)).toEqual(Object.keys(checkTenant({}, refreshed).inputs));
  });
});

describe("unappliedFields", () => {
  const actual: ApiTenant = { tenantId: "t", name: "Acme", slug: "acme", plan: "pro", status: "active", createdAt: "", settings: { awsRegion: "us-east-1", autoRemediation: false } };
  it("is empty when CauseFlow carries everything intended", () => {
    expect(unappliedFields({ name: "Acme", plan: "pro", settings: { awsRegion: "us-east-1", autoRemediation: false } }, actual)).toEqual([]);
  });
  it("names each field dropped or changed, by name only", () => {
    const intended = { name: "Acme Corp", plan: "business", settings: { awsRegion: "eu-west-1", awsExternalId: "secret-value", autoRemediation: true } };
    const fields = unappliedFields(intended, actual);
    expect(fields).toEqual(["name", "plan", "settings.awsExternalId", "settings.awsRegion", "settings.autoRemediation"]);
    expect(fields.join()).not.toContain("secret-value");
  });
  it("compares the plan only when asked to", () => {
    expect(unappliedFields({ name: "Acme" }, { ...actual, plan: "community" })).toEqual([]);
  });
});

describe("sameEmailAddress", () => {
  it("ignores the case of the domain only", () => {
    expect(sameEmailAddress("owner@ACME.com", "owner@acme.COM")).toBe(true);
    expect(sameEmailAddress("Owner@acme.com", "owner@acme.com")).toBe(false);
    expect(sameEmailAddress("a@b.com", "a@c.com")).toBe(false);
  });
});

describe("provenanceDoubts", () => {
  const sentAt = Date.parse("2026-12-01T10:00:00Z");
  const sent = { name: "Acme", slug: "acme", ownerEmail: "o@acme.com", plan: "pro", settings: { awsRegion: "us-east-1", awsExternalId: "ext-secret-1" } };
  const found: ApiTenant = {
    tenantId: "ten_1",
    name: "Acme",
    slug: "acme",
    plan: "pro",
    status: "active",
    createdAt: "2026-12-01T10:00:01Z",
    settings: { awsRegion: "us-east-1", awsExternalId: "ext-secret-1", autoRemediation: false },
  };

  it("finds nothing against the tenant the lost POST created", () => {
    expect(provenanceDoubts(sent, found, sentAt)).toEqual([]);
  });

  it("lets a setting CauseFlow did not store pass, since verification repairs it, but not one it holds otherwise", () => {
    expect(provenanceDoubts(sent, { ...found, settings: { awsRegion: "us-east-1", autoRemediation: false } }, sentAt)).toEqual([]);
    const doubts = provenanceDoubts(sent, { ...found, settings: { ...found.settings, awsExternalId: "someone-elses" } }, sentAt);
    expect(doubts).toEqual(["its settings.awsExternalId differs from the one sent"]);
    expect(doubts.join()).not.toMatch(/ext-secret-1|someone-elses/);
  });

  it("names each field that differs from what was sent", () => {
    expect(provenanceDoubts(sent, { ...found, name: "Acme Inc", plan: "business" }, sentAt)).toEqual([
      'its name is "Acme Inc", not "Acme"',
      'its plan is "business", not "pro"',
    ]);
  });

  it("refuses a tenant created before the first POST left, beyond the allowance", () => {
    const justBefore = new Date(sentAt - CREATION_TIME_ALLOWANCE_MS + 1000).toISOString();
    expect(provenanceDoubts(sent, { ...found, createdAt: justBefore }, sentAt)).toEqual([]);
    const earlier = new Date(sentAt - CREATION_TIME_ALLOWANCE_MS - 1000).toISOString();
    expect(provenanceDoubts(sent, { ...found, createdAt: earlier }, sentAt)).toEqual([expect.stringMatching(/^it was created at .*, before this program's first POST left/)]);
    expect(provenanceDoubts(sent, { ...found, createdAt: "yesterday" }, sentAt)).toEqual(['its creation time "yesterday" cannot be read']);
  });
});

describe("propertyPath", () => {
  it("writes paths as Pulumi does, quoting keys that are not identifiers", () => {
    expect(propertyPath(["settings", "awsRegion"])).toBe("settings.awsRegion");
    expect(propertyPath(["settings", "aws.region"])).toBe('settings["aws.region"]');
    expect(propertyPath(["."])).toBe('["."]');
    expect(propertyPath(["tags", 0])).toBe('tags["0"]');
  });
});
