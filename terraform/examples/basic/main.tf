# A starting point: copy this folder, fill in terraform.tfvars (see terraform.tfvars.example) and syncs.yaml, then
# follow docs/DEPLOY.md.

provider "oci" {
  region = var.region
  # Authentication as your OCI CLI profile: ~/.oci/config, or set auth/config_file_profile here.
}

module "oci_vault_sync" {
  source = "../.."

  tenancy_id     = var.tenancy_id
  compartment_id = var.compartment_id
  region         = var.region
  vault_id       = var.vault_id
  key_id         = var.key_id
  image          = var.image
  image_digest   = var.image_digest
  syncs_file     = "${path.module}/syncs.yaml"

  # No subnet yet? Let the module build a VCN with a NAT gateway (Infisical Cloud) and a service gateway (OCI APIs).
  create_network = true

  # Infisical webhooks through a public API Gateway route (output webhook_url), signed with a key OCI Vault generates
  # (output webhook_key_secret_id).
  enable_webhook = true

  # The webhook gateway admits only Infisical's addresses and requests carrying the client token (the webhook URL
  # Infisical calls is the output webhook_url plus ?ovs_client=<token>).
  webhook_allowed_cidrs = var.webhook_allowed_cidrs
  webhook_client_token  = var.webhook_client_token

  # Who may call sync, plan, import and remove by hand (docs/DEPLOY.md, step 4): your user's OCID.
  operator_principal_ids = var.operator_principal_ids

  # Further settings of the function, by environment name (docs/CONFIGURATION.md, "Service settings"), e.g.
  # settings = { OVS_SYNC_PARALLELISM = "4" }
}

variable "webhook_allowed_cidrs" {
  type        = list(string)
  description = "Source CIDRs of Infisical's webhooks (Infisical Cloud EU: 3.72.169.163/32, 51.102.78.137/32; US: 3.215.209.139/32, 100.55.172.40/32)."
}

variable "webhook_client_token" {
  type        = string
  sensitive   = true
  description = "The webhook gateway's client token (32 to 128 letters, digits, '-' or '_'), e.g. from: openssl rand -hex 24."
}

variable "operator_principal_ids" {
  type        = list(string)
  default     = []
  description = "OCIDs of the users who may call sync, plan, import and remove (yours: grep '^user' ~/.oci/config); none: no one may."
}

variable "tenancy_id" {
  type        = string
  description = "OCID of your tenancy."
}

variable "compartment_id" {
  type        = string
  description = "OCID of the compartment for the function and the secrets it manages."
}

variable "region" {
  type        = string
  description = "Region, e.g. eu-frankfurt-1."
}

variable "vault_id" {
  type        = string
  description = "OCID of the vault to sync into."
}

variable "key_id" {
  type        = string
  description = "OCID of the vault's AES key for new secrets."
}

variable "image" {
  type        = string
  description = "The pushed image, e.g. fra.ocir.io/<namespace>/oci-vault-sync:0.1.0."
}

variable "image_digest" {
  type        = string
  description = "The digest docker push printed (sha256:...), so a re-pushed tag cannot change what runs."
}

output "infisical_client_secret_id" {
  description = "Store the machine identity's client secret here, as a new version (docs/DEPLOY.md, step 6)."
  value       = module.oci_vault_sync.infisical_client_secret_id
}

output "webhook_key_secret_id" {
  description = "Give this secret's generated value to Infisical as the webhook's secret key (docs/DEPLOY.md, step 7)."
  value       = module.oci_vault_sync.webhook_key_secret_id
}

output "webhook_url" {
  description = "Give this URL to Infisical (Project settings → Webhooks)."
  value       = module.oci_vault_sync.webhook_url
}

output "nat_gateway_ip" {
  description = "The address the function reaches Infisical from: allow it where Infisical restricts IPs."
  value       = module.oci_vault_sync.nat_gateway_ip
}

output "function_id" {
  description = "For manual runs: oci fn function invoke --function-id <this> --file - --body '{...}'"
  value       = module.oci_vault_sync.function_id
}

output "log_group_id" {
  description = "The function's invoke logs: one JSON line per run and per secret result."
  value       = module.oci_vault_sync.log_group_id
}

output "alerts_topic_id" {
  description = "The Notifications topic the alarms and failed retries go to: subscribe to it (or set alert_emails)."
  value       = module.oci_vault_sync.alerts_topic_id
}

output "configuration" {
  description = "The configuration the module stored (OCIDs, no secret value)."
  value       = module.oci_vault_sync.configuration
}
