// Package sdkgen is what the SDK generators (gen-sdk, gen-sdk-java, gen-sdk-dotnet) share: reading
// the package schema, binding it as the language hosts do, writing a language's files where
// `pulumi package gen-sdk` puts them, and failing in words that name the tool. Each generator is a
// module of its own, pinned at another pkg/v3; this one requires the oldest of them, and each
// builds it against its own.
package sdkgen

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// Tool is one generator command, by the name it reports under.
type Tool string

// Fail prints the failure under the tool's name and exits 1.
func (t Tool) Fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s: "+format+"\n", append([]any{t}, args...)...)
	os.Exit(1)
}

// ReadSpec reads a package schema from a JSON file.
func (t Tool) ReadSpec(path string) schema.PackageSpec {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fail("cannot read the schema: %v", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fail("%s is not a package schema: %v", path, err)
	}
	return spec
}

// Bind binds a schema that references no other package, as ours does not.
func (t Tool) Bind(spec schema.PackageSpec, options schema.ValidationOptions) *schema.Package {
	pkg, diags, err := schema.BindSpec(spec, noOtherPackages{t}, options)
	if err != nil || diags.HasErrors() {
		t.Fail("the schema does not bind: %v %v", err, diags)
	}
	return pkg
}

// Write replaces <out>/<language> with the generated files.
func (t Tool) Write(out, language string, files map[string][]byte) {
	dir := filepath.Join(out, language)
	if err := os.RemoveAll(dir); err != nil {
		t.Fail("%v", err)
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fail("%v", err)
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fail("%v", err)
		}
	}
	fmt.Fprintf(os.Stderr, "%s: %s SDK, %d files, in %s\n", t, language, len(files), dir)
}

// NoOtherPackages is the loader for a schema that references no other package, as ours does not,
// for the generators that take one.
func NoOtherPackages(t Tool) schema.ReferenceLoader { return noOtherPackages{t} }

type noOtherPackages struct{ tool Tool }

func (l noOtherPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q; %s loads no other package", name, l.tool)
}

func (l noOtherPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (l noOtherPackages) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema references package %q; %s loads no other package", name, l.tool)
}

func (l noOtherPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}
