/**
 * The floor the dynamic-provider host sets: the least a dynamic provider can do and still send
 * the requests ours sends (one undici request per create, read and update; nothing in a check or
 * a diff). The benchmark runs it through the same host, so that what our provider adds can be told
 * from what any provider pays for the host's gRPC path.
 */
import * as path from "node:path";
import { Agent } from "undici";
import { PACKAGE_ROOT } from "../packageRoot";

/**
 * The floor as a dynamic resource's `__provider` text, loading this file's compiled copy (from
 * ts-jest too): it runs only on this machine, never in a user's state.
 */
export const FLOOR_PROVIDER_TEXT = `exports.handler=()=>require(${JSON.stringify(path.join(PACKAGE_ROOT, "dist", "tools", "bench", "floorProvider.js"))}).floorProvider;`;

let agent: Agent | undefined;
let origin = "";
let token = "";

async function send(method: "GET" | "POST" | "PATCH", path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await agent!.request({
    origin,
    path,
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  return (await response.body.json()) as Record<string, unknown>;
}

export const floorProvider = {
  async configure(req: { config: { get(key: string): string | undefined } }) {
    origin = new URL(req.config.get("causeflow:apiUrl")!).origin;
    token = req.config.get("causeflow:apiToken")!;
    agent = new Agent({ keepAliveTimeout: 30_000 });
  },
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { inputs: news };
  },
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { changes: olds.name !== news.name };
  },
  async create(inputs: Record<string, unknown>) {
    const { name, slug, ownerEmail, plan } = inputs;
    const tenant = await send("POST", "/v1/tenants", { name, slug, ownerEmail, plan });
    return { id: tenant.tenantId as string, outs: { ...inputs, ...tenant } };
  },
  async read(id: string, props: Record<string, unknown>) {
    return { id, props: { ...props, ...(await send("GET", `/v1/tenants/${id}`)) } };
  },
  async update(id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { outs: { ...news, ...(await send("PATCH", `/v1/tenants/${id}`, { name: news.name as string })) } };
  },
};
