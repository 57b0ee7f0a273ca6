/**
 * Property values as the engine sends them to a plugin that accepts secrets: a secret is an
 * object holding the signature key and the value. The tenant operations work on plain values;
 * these helpers take the secrets out, remembering where they were, and put them back.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Props } from "../core/tenantRules";

/** The engine's marker of a special value, and its value for a secret (sdk/go/common/resource/sig). */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";


export function isSecret(value: unknown): value is { value?: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

export function secret(value: unknown): Props {
  return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** The value with every secret replaced by what it holds, and the dotted paths where secrets were. */
export function revealSecrets(value: unknown, path = ""): { value: unknown; secrets: string[] } {
  if (isSecret(value)) {
    const inner = revealSecrets(value.value, path);
    return { value: inner.value, secrets: [path, ...inner.secrets] };
  }
  if (typeof value !== "object" || value === null) return { value, secrets: [] };
  if (Array.isArray(value)) {
    const items = value.map((item, index) => revealSecrets(item, `${path}[${index}]`));
    return { value: items.map((item) => item.value), secrets: items.flatMap((item) => item.secrets) };
  }
  const secrets: string[] = [];
  const plain: Props = {};
  for (const [key, item] of Object.entries(value)) {
    const inner = revealSecrets(item, path ? `${path}.${key}` : key);
    // Defined, not assigned: a key named __proto__ stays a key.
    Object.defineProperty(plain, key, { value: inner.value, enumerable: true, writable: true, configurable: true });
    secrets.push(...inner.secrets);
  }
  return { value: plain, secrets };
}

/** The value with a secret wherever `paths` (dotted, for objects) name one that is present. */
export function concealSecrets(value: unknown, paths: readonly string[], path = ""): unknown {
  if (paths.includes(path) && path !== "") return value === undefined ? value : secret(value);
  if (typeof value !== "object" || value === null || Array.isArray(value) || isSecret(value)) return value;
  const concealed: Props = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(concealed, key, {
      value: concealSecrets(item, paths, path ? `${path}.${key}` : key),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return concealed;
}

/** A request's property map as plain values, with where its secrets were. */
export function readProps(struct: Struct | undefined): { props: Props; secrets: string[] } {
  const { value, secrets } = revealSecrets(struct?.toJavaScript() ?? {});
  return { props: value as Props, secrets };
}

/** A property map for an answer; undefined values are left out, since a Struct cannot hold them. */
export function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
}
