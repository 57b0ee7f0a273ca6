#!/usr/bin/env node
/**
 * `pulumi-resource-causeflow`: started by the engine with its address as the last argument
 * (flags such as `--logtostderr -v=9` may come before it). Prints the port it serves on as the
 * first line of stdout, and serves until the engine stops it.
 */
import { exitWithParent } from "../lifeline";
import { servePlugin } from "./server";

/** Serves the plugin for the engine named by the last argument; a failure to start ends the process with one line. */
export function main(args: string[] = process.argv.slice(2)): void {
  const engineAddress = args.at(-1);
  if (engineAddress === undefined || engineAddress.startsWith("-")) {
    console.error("usage: pulumi-resource-causeflow [flags] <engine address>; the Pulumi engine starts this plugin itself.");
    process.exit(1);
  }
  // The engine stops its plugins; one whose engine was killed must not serve on.
  exitWithParent();
  const { version } = require("@causeflow/pulumi/package.json") as { version: string };
  servePlugin(engineAddress, version).then(
    (port) => process.stdout.write(`${port}\n`),
    (error: Error) => {
      console.error(`pulumi-resource-causeflow: ${error.message}`);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
