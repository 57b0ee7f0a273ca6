#!/usr/bin/env node
/**
 * `pulumi-resource-causeflow`: started by the engine with its address as the last argument
 * (flags such as `--logtostderr -v=9` may come before it). Prints the port it serves on as the
 * first line of stdout, and serves until the engine stops it. `--version` and `--help` answer
 * a person who runs it by hand.
 */
import { exitWithParent } from "../../lifeline/exitWithParent";
import { servePlugin } from "../../plugin/server";
import { VERSION } from "../../packageInfo";

const USAGE = `usage: pulumi-resource-causeflow [flags] <engine address>

The CauseFlow resource provider for Pulumi, version ${VERSION}. The Pulumi CLI starts it
itself, for a program that uses the causeflow package; there is no need to run it by hand.

  --version   print the version and exit
  --help      print this text and exit`;

/** Serves the plugin for the engine named by the last argument; a failure to start ends the process with one line. */
export function main(args: string[] = process.argv.slice(2)): void {
  if (args.includes("--version")) return void console.log(VERSION);
  if (args.includes("--help") || args.includes("-h")) return void console.log(USAGE);
  const engineAddress = args.at(-1);
  if (engineAddress === undefined || engineAddress.startsWith("-")) {
    console.error(USAGE);
    process.exit(1);
  }
  // The engine stops its plugins; one whose engine was killed must not serve on.
  exitWithParent();
  servePlugin(engineAddress, VERSION).then(
    (port) => process.stdout.write(`${port}\n`),
    (error: Error) => {
      console.error(`pulumi-resource-causeflow: ${error.message}`);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
