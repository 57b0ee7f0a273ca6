#!/usr/bin/env node
/**
 * `npm run emulator -- [--port 8080] [--state tenants.json] [--rate-limit 2000]`
 */
import { parseArgs } from "node:util";
import { exitWithParent } from "../../provider/lifeline/exitWithParent";
import { parseFaultRule } from "./faults";
import { startEmulator, type StartOptions } from "./server";

const USAGE = `Usage: causeflow-emulator [--port N] [--host ADDR] [--state FILE] [--rate-limit N]
                          [--admin-token T] [--member-token T] [--reads-need-membership] [--fault SPEC]...
  --reads-need-membership  GET /v1/tenants/{id} answers 403: the tokens are users of no tenant the API creates
Faults (repeatable; also CAUSEFLOW_EMULATOR_FAULTS, separated by ";"), for example:
  --fault "status=503 share=0.2"                 a fifth of all requests answer 503
  --fault "status=503 method=POST count=2"       the next two POSTs answer 503
  --fault "status=429 retry-after=2 count=10"    a 429 storm announcing a reset in 2 s
  --fault "latency=800"                          every request waits 800 ms
  --fault "drop=after method=POST"               the next POST is processed, then its connection dropped
  --fault "drop-fields=awsRoleArn,awsExternalId" every write answers success but does not store these settings
Without count or share, a rule with status or drop applies to the next matching request (even if it
also has latency or drop-fields); one with only latency or drop-fields applies to every matching request.
Environment: CAUSEFLOW_EMULATOR_PORT, CAUSEFLOW_EMULATOR_ADMIN_TOKEN, CAUSEFLOW_EMULATOR_MEMBER_TOKEN`;

/** What the command line asks for, or undefined for --help; throws on a bad argument. */
function readArguments(): { options: StartOptions; faultSpecs: string[] } | undefined {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.CAUSEFLOW_EMULATOR_PORT ?? "8080" },
      host: { type: "string", default: "127.0.0.1" },
      state: { type: "string" },
      "rate-limit": { type: "string" },
      "admin-token": { type: "string", default: process.env.CAUSEFLOW_EMULATOR_ADMIN_TOKEN },
      "member-token": { type: "string", default: process.env.CAUSEFLOW_EMULATOR_MEMBER_TOKEN },
      "reads-need-membership": { type: "boolean", default: false },
      fault: { type: "string", multiple: true, default: process.env.CAUSEFLOW_EMULATOR_FAULTS?.split(";") ?? [] },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return undefined;
  const port = Number(values.port);
  const rateLimit = values["rate-limit"] === undefined ? undefined : Number(values["rate-limit"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0 to 65535, got ${values.port}`);
  if (rateLimit !== undefined && !(Number.isInteger(rateLimit) && rateLimit > 0)) {
    throw new Error(`--rate-limit must be a whole number of requests per minute, got ${values["rate-limit"]}`);
  }
  const faultSpecs = values.fault.filter((spec) => spec.trim() !== "");
  const options: StartOptions = {
    port,
    host: values.host,
    stateFile: values.state,
    rateLimitPerMinute: rateLimit,
    adminToken: values["admin-token"],
    memberToken: values["member-token"],
    readsNeedMembership: values["reads-need-membership"],
    faults: faultSpecs.map(parseFaultRule),
  };
  return { options, faultSpecs };
}

/** One line for a failure at run time: the arguments were fine, so the usage would not help. */
function describeFailure(error: NodeJS.ErrnoException & { address?: string; port?: number }): string {
  if (error.code === "EADDRINUSE") return `${error.address}:${error.port} is already in use; pick another port with --port`;
  return error.message;
}

function fail(message: string): never {
  console.error(`emulator: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let request: ReturnType<typeof readArguments>;
  try {
    request = readArguments();
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (!request) {
    console.log(USAGE);
    return;
  }
  const { options, faultSpecs } = request;
  const emulator = await startEmulator(options);
  console.log(`CauseFlow tenant API emulator listening on ${emulator.url}`);
  console.log(`  admin token:  ${emulator.adminToken}`);
  console.log(`  member token: ${emulator.memberToken}`);
  console.log(options.stateFile ? `  tenants persisted to ${options.stateFile} (${emulator.store.size} loaded)` : "  tenants kept in memory");
  if (options.readsNeedMembership) console.log("  reads of one tenant answer 403 (--reads-need-membership)");
  for (const spec of faultSpecs) console.log(`  injecting fault: ${spec}`);
  console.log(`\nUse it from a stack:\n  pulumi config set causeflow:apiUrl ${emulator.url}\n  pulumi config set --secret causeflow:apiToken ${emulator.adminToken}`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // Started by a test or `npm run emulator` that is killed, it must not go on holding the port.
  exitWithParent();
}

main().catch((error: Error) => fail(describeFailure(error)));
