//go:build tools

// Package tools pins the Pulumi CLI the end-to-end tests run; build.sh installs each import below,
// and lifeline, into a cache folder keyed by the pins. The YAML language host is pinned in yaml/.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
