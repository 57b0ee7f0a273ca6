/** Hostile values for property-based tests: what a program or a peer may throw at the provider. */
import fc from "fast-check";
import { SETTING_KEYS, UNKNOWN_VALUE } from "../../provider/core/tenantRules";

export const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.constantFrom("", " ", "\u0000", "\u202e", "a".repeat(100_000), "__proto__", "constructor", UNKNOWN_VALUE, "acme-corp", "owner@acme.com", "us-east-1"),
  fc.string({ unit: fc.constantFrom("\n", "\r", "\t", "\u0007", "\u00a0", "é", "😀", "-", "a") }),
);
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(UNKNOWN_VALUE),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...SETTING_KEYS, "__proto__", "constructor")), tie("value"), { maxKeys: 4 }),
  ),
})).value;
export const hostileInputs = fc.dictionary(
  fc.oneof(fc.constantFrom("name", "slug", "ownerEmail", "plan", "settings", "adoptExisting", "__proto__", "constructor", "prototype"), fc.string()),
  fc.oneof(hostileValue, fc.dictionary(fc.constantFrom(...SETTING_KEYS, "__proto__", "constructor", "awsRoleARN"), hostileValue)),
  { maxKeys: 8 },
);

