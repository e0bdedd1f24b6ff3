# A starting point: copy this folder, fill in terraform.tfvars (see terraform.tfvars.example) and ovs.yaml.

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
  config_file    = "${path.module}/ovs.yaml"

  # No subnet yet? Let the module build a VCN with a NAT gateway (Infisical Cloud) and a service gateway (OCI APIs).
  create_network = true

  # The function's own secrets go to a control vault the module creates (output control_vault_id). Add the Infisical
  # client secret and the webhook signing key there, then list their OCIDs: the function may read exactly these.
  infisical_client_secret_ids = var.infisical_client_secret_ids
  webhook_key_secret_ids      = var.webhook_key_secret_ids

  # Infisical webhooks through a public API Gateway route (the output webhook_url, plus ?ovs_client=<token>), once a
  # signing key exists. The gateway admits only Infisical's addresses and requests carrying the client token.
  enable_webhook        = length(var.webhook_key_secret_ids) > 0
  webhook_allowed_cidrs = var.webhook_allowed_cidrs
  webhook_client_token  = var.webhook_client_token
}

variable "image_digest" {
  type        = string
  description = "The image's digest (sha256:...), as docker push prints it."
}

variable "webhook_allowed_cidrs" {
  type        = list(string)
  default     = []
  description = "Source CIDRs of Infisical's webhooks (Infisical Cloud EU: 3.72.169.163/32, 51.102.78.137/32; US: 3.215.209.139/32, 100.55.172.40/32)."
}

variable "webhook_client_token" {
  type        = string
  default     = null
  sensitive   = true
  description = "The webhook gateway's client token (32 to 128 letters, digits, '-' or '_'), e.g. from: openssl rand -hex 24."
}

variable "infisical_client_secret_ids" {
  type        = list(string)
  default     = []
  description = "OCIDs of the control-vault secrets holding Infisical client secrets (ovs.yaml refers to them)."
}

variable "webhook_key_secret_ids" {
  type        = list(string)
  default     = []
  description = "OCIDs of the control-vault secrets holding Infisical webhook signing keys."
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

output "webhook_url" {
  description = "Give this URL to Infisical (Project settings → Webhooks), with the signing key of ovs.yaml."
  value       = module.oci_vault_sync.webhook_url
}

output "control_vault_id" {
  description = "Create the Infisical client secret and webhook signing key in this vault."
  value       = module.oci_vault_sync.control_vault_id
}

output "function_id" {
  description = "For manual runs: oci fn function invoke --function-id <this> --body '{...}' --file -"
  value       = module.oci_vault_sync.function_id
}
