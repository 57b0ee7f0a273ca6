"""
The generated Python SDK (sdk/python) under Pulumi's mocks: what it registers and invokes, and the
plugin version and download URL it asks the engine for. Run by test/e2e/sdks.test.ts, which
installs the SDK's wheel and passes the expected version and URL in SDK_VERSION and
PLUGIN_DOWNLOAD_URL.
"""
import os

import pulumi
import pytest


class Mocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.registered = []
        self.invoked = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.registered.append(args)
        return f"{args.name}-id", {**args.inputs, "tenantId": f"ten_{args.name}", "status": "active", "createdAt": "2026-12-07T00:00:00Z"}

    def call(self, args: pulumi.runtime.MockCallArgs):
        self.invoked.append(args)
        return {"tenantId": "ten_found", "slug": args.args.get("slug"), "name": "Found", "plan": "pro", "status": "active", "createdAt": "2026-12-07T00:00:00Z"}


mocks = Mocks()
pulumi.runtime.set_mocks(mocks, preview=False)

import pulumi_causeflow as causeflow  # noqa: E402  (after set_mocks, as Pulumi's docs ask)


@pulumi.runtime.test
def test_a_tenant_registers_its_inputs_under_the_schema_names():
    tenant = causeflow.Tenant(
        "acme",
        name="Acme Corp",
        slug="acme-corp",
        owner_email="owner@acme.com",
        settings=causeflow.TenantSettingsArgs(aws_region="us-east-1", auto_remediation=True),
    )

    def check(tenant_id):
        registered = next(args for args in mocks.registered if args.name == "acme")
        assert registered.typ == "causeflow:index:Tenant"
        assert registered.inputs == {
            "name": "Acme Corp",
            "slug": "acme-corp",
            "ownerEmail": "owner@acme.com",
            "plan": "starter",  # the schema's default
            "settings": {"awsRegion": "us-east-1", "autoRemediation": True},
        }
        assert tenant_id == "ten_acme"

    return tenant.tenant_id.apply(check)


def test_a_missing_required_input_is_named():
    with pytest.raises(TypeError, match="Missing required property 'slug'"):
        causeflow.Tenant("no-slug", name="Acme Corp", owner_email="owner@acme.com")


def test_get_tenant_invokes_the_lookup_by_slug():
    found = causeflow.get_tenant(slug="acme-corp")
    assert mocks.invoked[-1].token == "causeflow:index:getTenant"
    assert mocks.invoked[-1].args == {"slug": "acme-corp"}
    assert (found.tenant_id, found.plan) == ("ten_found", "pro")


def test_resources_ask_the_engine_for_this_plugin_version_from_its_download_url():
    defaults = causeflow._utilities.get_resource_opts_defaults()
    assert defaults.version == os.environ["SDK_VERSION"]
    assert defaults.plugin_download_url == os.environ["PLUGIN_DOWNLOAD_URL"]
