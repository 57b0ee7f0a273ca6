// Command gen-sdk-java writes a Pulumi package's Java SDK from its schema with the code generator
// of the pulumi-java pinned in this module, called as its language host's GeneratePackage calls it
// (`pulumi package gen-sdk --language java`). That generator is not in pkg/v3 but in
// github.com/pulumi/pulumi-java/pkg, which needs its own pkg/v3 (3.228), hence a module of its own.
// The pin, v1.22.0, is the newest release the Go module proxy here serves (1.18 to 1.21 and 1.23
// on are refused).
//
//	gen-sdk-java <schema.json> <out folder>
//
// The files replace <out folder>/java, as `pulumi package gen-sdk` lays them out: sources under
// src/main/java and, the generator's default, Gradle build files.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	javagen "github.com/pulumi/pulumi-java/pkg/codegen/java"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 3 {
		fail("usage: gen-sdk-java <schema.json> <out folder>")
	}
	schemaPath, out := os.Args[1], os.Args[2]
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		fail("cannot read the schema: %v", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fail("%s is not a package schema: %v", schemaPath, err)
	}
	// As the language host does: types whose names differ only in case become one, then the schema
	// is bound (the generator reads the schema's `language.java` section itself).
	deduped, diags, err := javagen.DeduplicateTypes(&spec)
	if err != nil || diags.HasErrors() {
		fail("%s: merging types whose names differ only in case: %v %v", schemaPath, err, diags)
	}
	pkg, diags, err := schema.BindSpec(*deduped, noOtherPackages{}, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil || diags.HasErrors() {
		fail("%s does not bind: %v %v", schemaPath, err, diags)
	}
	// The tool name is the language host's, so that the generated headers read as its do; no extra
	// files, no local dependencies, a publishable (not local) SDK, the host's build files.
	files, err := javagen.GeneratePackage("pulumi-language-java", pkg, nil, nil, false, false /* legacyBuildFiles */)
	if err != nil {
		fail("generating the java SDK: %v", err)
	}
	dir := filepath.Join(out, "java")
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
	fmt.Fprintf(os.Stderr, "gen-sdk-java: java SDK, %d files, in %s\n", len(files), dir)
}

// noOtherPackages is the loader for a schema that references no other package, as ours does not.
type noOtherPackages struct{}

func (noOtherPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q; gen-sdk-java loads no other package", name)
}

func (l noOtherPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (l noOtherPackages) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema references package %q; gen-sdk-java loads no other package", name)
}

func (l noOtherPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gen-sdk-java: "+format+"\n", args...)
	os.Exit(1)
}
