export { Tenant } from "./tenant";
export type { Plan, TenantArgs, TenantSettings, TenantSettingsArgs } from "./tenant";
