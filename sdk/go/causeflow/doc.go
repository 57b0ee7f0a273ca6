// Manage CauseFlow tenants (isolated organizations, with their owner, plan and AWS integration) with Pulumi.
package causeflow
