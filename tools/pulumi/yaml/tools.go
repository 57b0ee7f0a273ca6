//go:build tools

// Package tools pins the YAML language host. It is a module of its own because pulumi-yaml
// builds against the pkg/v3 it requires, not against the newer one the CLI is pinned at; the two
// talk over gRPC only.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
