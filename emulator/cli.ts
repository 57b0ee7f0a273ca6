#!/usr/bin/env node
/**
 * `npm run emulator -- [--port 8080] [--state tenants.json] [--rate-limit 2000]`
 */
import { parseArgs } from "node:util";
import { parseFaultRule } from "./faults";
import { startEmulator } from "./server";

const USAGE = `Usage: causeflow-emulator [--port N] [--host ADDR] [--state FILE] [--rate-limit N]
                          [--admin-token T] [--member-token T] [--fault SPEC]...
Faults (repeatable; also CAUSEFLOW_EMULATOR_FAULTS, separated by ";"), for example:
  --fault "status=503 share=0.2"                 a fifth of all requests answer 503
  --fault "status=503 method=POST count=2"       the next two POSTs answer 503
  --fault "status=429 retry-after=2 count=10"    a 429 storm announcing a reset in 2 s
  --fault "latency=800"                          every request waits 800 ms
  --fault "drop=after method=POST count=1"       the next POST is processed, then its connection dropped
  --fault "drop-fields=awsRoleArn,awsExternalId" writes answer success but do not store these settings
Environment: CAUSEFLOW_EMULATOR_PORT, CAUSEFLOW_EMULATOR_ADMIN_TOKEN, CAUSEFLOW_EMULATOR_MEMBER_TOKEN`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.CAUSEFLOW_EMULATOR_PORT ?? "8080" },
      host: { type: "string", default: "127.0.0.1" },
      state: { type: "string" },
      "rate-limit": { type: "string" },
      "admin-token": { type: "string", default: process.env.CAUSEFLOW_EMULATOR_ADMIN_TOKEN },
      "member-token": { type: "string", default: process.env.CAUSEFLOW_EMULATOR_MEMBER_TOKEN },
      fault: { type: "string", multiple: true, default: process.env.CAUSEFLOW_EMULATOR_FAULTS?.split(";") ?? [] },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const rateLimit = values["rate-limit"] === undefined ? undefined : Number(values["rate-limit"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0 to 65535, got ${values.port}`);
  if (rateLimit !== undefined && !(Number.isInteger(rateLimit) && rateLimit > 0)) {
    throw new Error(`--rate-limit must be a whole number of requests per minute, got ${values["rate-limit"]}`);
  }
  const faultSpecs = values.fault.filter((spec) => spec.trim() !== "");
  const emulator = await startEmulator({
    port,
    host: values.host,
    stateFile: values.state,
    rateLimitPerMinute: rateLimit,
    adminToken: values["admin-token"],
    memberToken: values["member-token"],
    faults: faultSpecs.map(parseFaultRule),
  });
  console.log(`CauseFlow tenant API emulator listening on ${emulator.url}`);
  console.log(`  admin token:  ${emulator.adminToken}`);
  console.log(`  member token: ${emulator.memberToken}`);
  console.log(values.state ? `  tenants persisted to ${values.state} (${emulator.store.size} loaded)` : "  tenants kept in memory");
  for (const spec of faultSpecs) console.log(`  injecting fault: ${spec}`);
  console.log(`\nUse it from a stack:\n  pulumi config set causeflow:apiUrl ${emulator.url}\n  pulumi config set --secret causeflow:apiToken ${emulator.adminToken}`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: Error) => {
  console.error(`emulator: ${error.message}\n${USAGE}`);
  process.exit(1);
});
