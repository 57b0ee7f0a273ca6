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
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/causeflow/pulumi-causeflow/tools/pulumi/sdkgen"
	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = sdkgen.Tool("gen-sdk-dotnet")

func main() {
	if len(os.Args) != 3 && len(os.Args) != 4 {
		tool.Fail("usage: gen-sdk-dotnet <schema.json> <out folder> [logo file]")
	}
	schemaPath, out := os.Args[1], os.Args[2]
	if len(os.Args) == 4 {
		logo, err := os.ReadFile(os.Args[3])
		if err != nil {
			tool.Fail("cannot read the logo: %v", err)
		}
		// The logo's download is the generator's only HTTP request, through http.DefaultClient.
		http.DefaultTransport = logoFile(logo)
	}
	// Bound as the language host binds it; the generator reads the schema's `language.csharp`
	// section itself.
	pkg := tool.Bind(tool.ReadSpec(schemaPath), schema.ValidationOptions{AllowDanglingReferences: true})
	// The tool name is the language host's, so that the generated headers read as its do; no extra
	// files, no local dependencies.
	files, err := dotnetgen.GeneratePackage("pulumi-language-dotnet", pkg, nil, nil)
	if err != nil {
		tool.Fail("generating the dotnet SDK: %v", err)
	}
	// The generator takes whatever the logo's URL answers, even an error page or an SVG.
	if logo := files["logo.png"]; !bytes.HasPrefix(logo, []byte("\x89PNG\r\n\x1a\n")) && !bytes.HasPrefix(logo, []byte("\xff\xd8\xff")) {
		fmt.Fprintf(os.Stderr, "gen-sdk-dotnet: warning: logo.png (from %q) is neither PNG nor JPEG, which NuGet wants\n", pkg.LogoURL)
	}
	tool.Write(out, "dotnet", files)
}

// logoFile answers every HTTP request with a logo's bytes.
type logoFile []byte

func (l logoFile) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(l)), ContentLength: int64(len(l)), Request: r,
	}, nil
}

