// Command gen-sdk writes a Pulumi package's SDKs from its schema with the code generators of the
// pkg/v3 pinned in this module: what `pulumi package gen-sdk` runs inside each language host
// (GeneratePackage). Those hosts are not published as Go modules, so the CLI built here cannot
// reach them. The pin is the Pulumi release @causeflow/pulumi is built against (3.248), the last
// whose Node SDK runs on Node 20: newer generators write Node code needing @pulumi/pulumi 3.269+,
// which needs Node 22.
//
//	gen-sdk <schema.json> <out folder> <language>...   (languages: python, nodejs, go)
//
// Each language's files replace <out folder>/<language>, as `pulumi package gen-sdk` lays them out.
package main

import (
	"os"

	"github.com/causeflow/pulumi-causeflow/tools/pulumi/sdkgen"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = sdkgen.Tool("gen-sdk")

func main() {
	if len(os.Args) < 4 {
		tool.Fail("usage: gen-sdk <schema.json> <out folder> <language>... (python, nodejs, go)")
	}
	schemaPath, out, languages := os.Args[1], os.Args[2], os.Args[3:]
	spec := tool.ReadSpec(schemaPath)
	for _, language := range languages {
		// Bound afresh for each language: a generator leaves its own names on the package's types
		// (Python's enum names would reach the Go SDK).
		pkg := tool.Bind(spec, schema.ValidationOptions{})
		// The tool names are the language hosts', so that the generated headers read as theirs do.
		var files map[string][]byte
		var err error
		switch language {
		case "python":
			files, err = python.GeneratePackage("pulumi-language-python", pkg, nil, sdkgen.NoOtherPackages(tool))
		case "nodejs":
			files, err = nodejs.GeneratePackage("pulumi-language-nodejs", pkg, nil, nil, false, sdkgen.NoOtherPackages(tool))
		case "go":
			files, err = gogen.GeneratePackage("pulumi-language-go", pkg, nil)
		default:
			tool.Fail("no generator for %q here: python, nodejs or go", language)
		}
		if err != nil {
			tool.Fail("generating the %s SDK: %v", language, err)
		}
		tool.Write(out, language, files)
	}
}
