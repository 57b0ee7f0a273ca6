// The generated Go SDK (sdk/go) under Pulumi's mocks: what it registers and invokes, and the plugin
// version and download URL it asks the engine for. Run by test/e2e/sdks.test.ts, in a module that
// requires the SDK by replace, with the expected version and URL in SDK_VERSION and
// PLUGIN_DOWNLOAD_URL.
package causeflow_test

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/causeflow/pulumi-causeflow/sdk/go/causeflow"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type mocks struct {
	mu         sync.Mutex
	registered []pulumi.MockResourceArgs
	invoked    []pulumi.MockCallArgs
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.registered = append(m.registered, args)
	outputs := args.Inputs.Copy()
	outputs["tenantId"] = resource.NewStringProperty("ten_" + args.Name)
	outputs["status"] = resource.NewStringProperty("active")
	outputs["createdAt"] = resource.NewStringProperty("2026-12-07T00:00:00Z")
	return args.Name + "-id", outputs, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.invoked = append(m.invoked, args)
	return resource.PropertyMap{
		"tenantId": resource.NewStringProperty("ten_found"), "slug": args.Args["slug"], "name": resource.NewStringProperty("Found"),
		"plan": resource.NewStringProperty("pro"), "status": resource.NewStringProperty("active"),
		"createdAt": resource.NewStringProperty("2026-12-07T00:00:00Z"),
	}, nil
}

func TestTenantRegistersItsInputsUnderTheSchemaNamesWithThePluginsVersionAndURL(t *testing.T) {
	m := &mocks{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := causeflow.NewTenant(ctx, "acme", &causeflow.TenantArgs{
			Name: pulumi.String("Acme Corp"), Slug: pulumi.String("acme-corp"), OwnerEmail: pulumi.String("owner@acme.com"),
			Settings: &causeflow.TenantSettingsArgs{AwsRegion: pulumi.String("us-east-1")},
		})
		return err
	}, pulumi.WithMocks("project", "stack", m))
	if err != nil {
		t.Fatal(err)
	}
	var acme *pulumi.MockResourceArgs
	for i := range m.registered {
		if m.registered[i].Name == "acme" {
			acme = &m.registered[i]
		}
	}
	if acme == nil {
		t.Fatalf("no tenant registered: %+v", m.registered)
	}
	if acme.TypeToken != "causeflow:index:Tenant" {
		t.Errorf("type %q", acme.TypeToken)
	}
	want := resource.NewPropertyMapFromMap(map[string]interface{}{
		"name": "Acme Corp", "slug": "acme-corp", "ownerEmail": "owner@acme.com", "plan": "starter",
		"settings": map[string]interface{}{"awsRegion": "us-east-1"},
	})
	if !acme.Inputs.DeepEquals(want) {
		t.Errorf("inputs %v, want %v (plan is the schema's default)", acme.Inputs, want)
	}
	if got := acme.RegisterRPC.GetVersion(); got != os.Getenv("SDK_VERSION") {
		t.Errorf("asks for plugin version %q, want %q", got, os.Getenv("SDK_VERSION"))
	}
	if got := acme.RegisterRPC.GetPluginDownloadURL(); got != os.Getenv("PLUGIN_DOWNLOAD_URL") {
		t.Errorf("asks for the plugin from %q, want %q", got, os.Getenv("PLUGIN_DOWNLOAD_URL"))
	}
}

func TestAMissingRequiredInputIsNamed(t *testing.T) {
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := causeflow.NewTenant(ctx, "no-slug", &causeflow.TenantArgs{Name: pulumi.String("Acme Corp"), OwnerEmail: pulumi.String("owner@acme.com")})
		return err
	}, pulumi.WithMocks("project", "stack", &mocks{}))
	if err == nil || !strings.Contains(err.Error(), "Slug") {
		t.Fatalf("want an error naming Slug, got %v", err)
	}
}

func TestLookupTenantInvokesTheLookupBySlug(t *testing.T) {
	m := &mocks{}
	var found *causeflow.LookupTenantResult
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		found, err = causeflow.LookupTenant(ctx, &causeflow.LookupTenantArgs{Slug: pulumi.StringRef("acme-corp")})
		return err
	}, pulumi.WithMocks("project", "stack", m))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.invoked) != 1 || m.invoked[0].Token != "causeflow:index:getTenant" || m.invoked[0].Args["slug"].StringValue() != "acme-corp" {
		t.Fatalf("invoked %+v", m.invoked)
	}
	if found.TenantId != "ten_found" || found.Plan != "pro" {
		t.Errorf("found %+v", found)
	}
}
