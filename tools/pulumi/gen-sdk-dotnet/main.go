// Command gen-sdk-dotnet writes a Pulumi package's .NET SDK from its schema with the code generator
// of the pulumi-language-dotnet pinned in this module, called as that language host's
// GeneratePackage calls it (`pulumi package gen-sdk --language dotnet`). That generator is not in
// pkg/v3 but in the language host's own module, whose codegen package needs a newer pkg/v3 (3.255)
// than gen-sdk's, hence a module of its own. The pin, v3.110.0, is the newest release the Go
// module proxy here serves (3.103 to 3.109 and 3.111 on are refused).
//
//	gen-sdk-dotnet <schema.json> <out folder> [logo file]
//
// The files replace <out folder>/dotnet, as `pulumi package gen-sdk` lays them out. The generator
// downloads the schema's logoUrl (without one, Pulumi's logo from GitHub) into the package's
// logo.png; given a logo file, gen-sdk-dotnet answers that download with the file instead, for
// machines that cannot reach the URL. NuGet takes a PNG or JPEG icon only: anything else is named.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 3 && len(os.Args) != 4 {
		fail("usage: gen-sdk-dotnet <schema.json> <out folder> [logo file]")
	}
	schemaPath, out := os.Args[1], os.Args[2]
	if len(os.Args) == 4 {
		logo, err := os.ReadFile(os.Args[3])
		if err != nil {
			fail("cannot read the logo: %v", err)
		}
		// The logo's download is the generator's only HTTP request, through http.DefaultClient.
		http.DefaultTransport = logoFile(logo)
	}
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		fail("cannot read the schema: %v", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fail("%s is not a package schema: %v", schemaPath, err)
	}
	// Bound as the language host binds it; the generator reads the schema's `language.csharp`
	// section itself.
	pkg, diags, err := schema.BindSpec(spec, noOtherPackages{}, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil || diags.HasErrors() {
		fail("%s does not bind: %v %v", schemaPath, err, diags)
	}
	// The tool name is the language host's, so that the generated headers read as its do; no extra
	// files, no local dependencies.
	files, err := dotnetgen.GeneratePackage("pulumi-language-dotnet", pkg, nil, nil)
	if err != nil {
		fail("generating the dotnet SDK: %v", err)
	}
	// The generator takes whatever the logo's URL answers, even an error page or an SVG.
	if logo := files["logo.png"]; !bytes.HasPrefix(logo, []byte("\x89PNG\r\n\x1a\n")) && !bytes.HasPrefix(logo, []byte("\xff\xd8\xff")) {
		fmt.Fprintf(os.Stderr, "gen-sdk-dotnet: warning: logo.png (from %q) is neither PNG nor JPEG, which NuGet wants\n", pkg.LogoURL)
	}
	dir := filepath.Join(out, "dotnet")
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
	fmt.Fprintf(os.Stderr, "gen-sdk-dotnet: dotnet SDK, %d files, in %s\n", len(files), dir)
}

// logoFile answers every HTTP request with a logo's bytes.
type logoFile []byte

func (l logoFile) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(l)), ContentLength: int64(len(l)), Request: r,
	}, nil
}

// noOtherPackages is the loader for a schema that references no other package, as ours does not.
type noOtherPackages struct{}

func (noOtherPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q; gen-sdk-dotnet loads no other package", name)
}

func (l noOtherPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (l noOtherPackages) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema references package %q; gen-sdk-dotnet loads no other package", name)
}

func (l noOtherPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gen-sdk-dotnet: "+format+"\n", args...)
	os.Exit(1)
}
