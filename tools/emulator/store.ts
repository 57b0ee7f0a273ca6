/**
 * The emulator's tenants: in memory, optionally persisted to a JSON file after every write.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";

export interface StoredSettings {
  awsRoleArn?: string;
  awsExternalId?: string;
  awsRegion?: string;
  autoRemediation: boolean;
}

export interface StoredTenant {
  tenantId: string;
  name: string;
  slug: string;
  ownerEmail: string;
  plan: string;
  status: string;
  createdAt: string;
  settings: StoredSettings;
}

export class TenantStore {
  readonly #tenants = new Map<string, StoredTenant>();
  /** Slugs never change, so this index never goes stale. */
  readonly #idsBySlug = new Map<string, string>();
  readonly #file: string | undefined;

  /** With a file, the store starts from its content (if it exists) and writes every change back. */
  constructor(file?: string) {
    this.#file = file;
    for (const tenant of file ? load(file) : []) this.#index(tenant);
  }

  get size(): number {
    return this.#tenants.size;
  }

  all(): StoredTenant[] {
    return [...this.#tenants.values()];
  }

  get(tenantId: string): StoredTenant | undefined {
    return this.#tenants.get(tenantId);
  }

  findBySlug(slug: string): StoredTenant | undefined {
    const tenantId = this.#idsBySlug.get(slug);
    return tenantId === undefined ? undefined : this.#tenants.get(tenantId);
  }

  create(fields: Omit<StoredTenant, "tenantId" | "status" | "createdAt">): StoredTenant {
    const tenant: StoredTenant = {
      tenantId: `ten_${randomBytes(10).toString("hex").toUpperCase()}`,
      status: "active",
      createdAt: new Date().toISOString(),
      ...fields,
    };
    this.#index(tenant);
    this.#save();
    return tenant;
  }

  /** Replaces the stored tenant with a changed copy. */
  put(tenant: StoredTenant): StoredTenant {
    this.#tenants.set(tenant.tenantId, tenant);
    this.#save();
    return tenant;
  }

  #index(tenant: StoredTenant): void {
    this.#tenants.set(tenant.tenantId, tenant);
    this.#idsBySlug.set(tenant.slug, tenant.tenantId);
  }

  #save(): void {
    if (!this.#file) return;
    // Write then rename, so a crash never leaves a half-written file.
    const temporary = `${this.#file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.all(), null, 2));
    renameSync(temporary, this.#file);
  }
}

/** The tenants a state file holds (none when it does not exist yet); errors name the file and the fault. */
function load(file: string): StoredTenant[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === "ENOENT") return [];
    throw new Error(`cannot read state file ${file}: ${message}`);
  }
  if (text === "") return []; // made empty by hand, say: no tenants yet
  let tenants: unknown;
  try {
    tenants = JSON.parse(text);
  } catch (error) {
    throw new Error(`state file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(tenants)) throw new Error(`state file ${file} does not hold a list of tenants`);
  return tenants as StoredTenant[];
}
