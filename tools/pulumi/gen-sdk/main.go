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
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) < 4 {
		fail("usage: gen-sdk <schema.json> <out folder> <language>... (python, nodejs, go)")
	}
	schemaPath, out, languages := os.Args[1], os.Args[2], os.Args[3:]
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		fail("cannot read the schema: %v", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fail("%s is not a package schema: %v", schemaPath, err)
	}
	for _, language := range languages {
		// Bound afresh for each language: a generator leaves its own names on the package's types
		// (Python's enum names would reach the Go SDK).
		pkg, diags, err := schema.BindSpec(spec, noOtherPackages{}, schema.ValidationOptions{})
		if err != nil || diags.HasErrors() {
			fail("%s does not bind: %v %v", schemaPath, err, diags)
		}
		// The tool names are the language hosts', so that the generated headers read as theirs do.
		var files map[string][]byte
		switch language {
		case "python":
			files, err = python.GeneratePackage("pulumi-language-python", pkg, nil, noOtherPackages{})
		case "nodejs":
			files, err = nodejs.GeneratePackage("pulumi-language-nodejs", pkg, nil, nil, false, noOtherPackages{})
		case "go":
			files, err = gogen.GeneratePackage("pulumi-language-go", pkg, nil)
		default:
			fail("no generator for %q here: python, nodejs or go", language)
		}
		if err != nil {
			fail("generating the %s SDK: %v", language, err)
		}
		dir := filepath.Join(out, language)
		if err := os.RemoveAll(dir); err != nil {
			fail("%v", err)
		}
		for name, content := range files {
			path := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				fail("%v", err)
			}
			if err := os.WriteFile(path, content, 0o644); err != nil {
				fail("%v", err)
			}
		}
		fmt.Fprintf(os.Stderr, "gen-sdk: %s SDK, %d files, in %s\n", language, len(files), dir)
	}
}

// noOtherPackages is the loader for a schema that references no other package, as ours does not.
type noOtherPackages struct{}

func (noOtherPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q; gen-sdk loads no other package", name)
}

func (l noOtherPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (l noOtherPackages) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema references package %q; gen-sdk loads no other package", name)
}

func (l noOtherPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gen-sdk: "+format+"\n", args...)
	os.Exit(1)
}
