"""
Runs a Python Pulumi program through the Pulumi CLI with the Automation API (an inline program):
Pulumi's own Python runtime in this process stands in for the python language host, which is not
published as a Go module. For test/e2e/python.test.ts.

    run.py <up|preview> <program.py>

The stack comes from the environment: PROJECT, STACK, WORK_DIR, PULUMI_ROOT (a folder whose
bin/pulumi is the CLI), PULUMI_HOME, API_URL and API_TOKEN (set as causeflow:apiUrl and, secret,
causeflow:apiToken). Prints the CLI's output, then one JSON line: the outputs and the change summary.
"""
import json
import os
import sys

from pulumi import automation as auto


def main() -> None:
    operation, program_file = sys.argv[1], sys.argv[2]
    with open(program_file, encoding="utf-8") as file:
        source = compile(file.read(), program_file, "exec")

    def program() -> None:
        exec(source, {"__name__": "__main__"})

    stack = auto.create_or_select_stack(
        stack_name=os.environ["STACK"],
        project_name=os.environ["PROJECT"],
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=os.environ["WORK_DIR"],
            pulumi_home=os.environ["PULUMI_HOME"],
            pulumi_command=auto.PulumiCommand(root=os.environ["PULUMI_ROOT"], skip_version_check=True),
        ),
    )
    stack.set_config("causeflow:apiUrl", auto.ConfigValue(os.environ["API_URL"]))
    stack.set_config("causeflow:apiToken", auto.ConfigValue(os.environ["API_TOKEN"], secret=True))
    if operation == "up":
        result = stack.up(on_output=print)
        summary = {"outputs": {key: value.value for key, value in result.outputs.items()}, "changes": result.summary.resource_changes}
    elif operation == "preview":
        result = stack.preview(diff=True, on_output=print)
        summary = {"changes": result.change_summary}
    else:
        raise SystemExit(f"run.py: no operation {operation!r}: up or preview")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
