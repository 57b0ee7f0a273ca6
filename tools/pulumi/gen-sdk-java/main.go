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
	"os"

	"github.com/causeflow/pulumi-causeflow/tools/pulumi/sdkgen"
	javagen "github.com/pulumi/pulumi-java/pkg/codegen/java"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = sdkgen.Tool("gen-sdk-java")

func main() {
	if len(os.Args) != 3 {
		tool.Fail("usage: gen-sdk-java <schema.json> <out folder>")
	}
	schemaPath, out := os.Args[1], os.Args[2]
	spec := tool.ReadSpec(schemaPath)
	// As the language host does: types whose names differ only in case become one, then the schema
	// is bound (the generator reads the schema's `language.java` section itself).
	deduped, diags, err := javagen.DeduplicateTypes(&spec)
	if err != nil || diags.HasErrors() {
		tool.Fail("%s: merging types whose names differ only in case: %v %v", schemaPath, err, diags)
	}
	pkg := tool.Bind(*deduped, schema.ValidationOptions{AllowDanglingReferences: true})
	// The tool name is the language host's, so that the generated headers read as its do; no extra
	// files, no local dependencies, a publishable (not local) SDK, the host's build files.
	files, err := javagen.GeneratePackage("pulumi-language-java", pkg, nil, nil, false, false /* legacyBuildFiles */)
	if err != nil {
		tool.Fail("generating the java SDK: %v", err)
	}
	tool.Write(out, "java", files)
}
