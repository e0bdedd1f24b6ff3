output "function_id" {
  description = "OCID of the function (for fn invoke / oci fn function invoke)."
  value       = oci_functions_function.this.id
}

output "invoke_endpoint" {
  description = "The function's invoke endpoint."
  value       = oci_functions_function.this.invoke_endpoint
}

output "webhook_url" {
  description = "The URL to give Infisical as the webhook endpoint (null when enable_webhook is false)."
  value       = var.enable_webhook ? "https://${oci_apigateway_gateway.webhook[0].hostname}${oci_apigateway_deployment.webhook[0].path_prefix}/event" : null
}

output "config_secret_id" {
  description = "OCID of the secret holding the configuration (OVS_CONFIG_SECRET_ID)."
  value       = oci_vault_secret.config.id
}

output "fingerprint_key_secret_id" {
  description = "OCID of the secret holding the fingerprint key."
  value       = local.fingerprint_key_secret_id
}

output "log_group_id" {
  description = "OCID of the log group holding the function's invoke logs (one JSON line per run and per secret)."
  value       = oci_logging_log_group.this.id
}

output "control_vault_id" {
  description = "OCID of the control vault holding the function's own secrets (configuration, fingerprint key, Infisical client secret, webhook key)."
  value       = local.control_vault_id
}

output "infisical_client_secret_id" {
  description = "OCID of the secret the function reads the Infisical client secret from: store the machine identity's client secret in it as a new version (it holds a placeholder until then)."
  value       = local.infisical_client_secret_id
}

output "webhook_key_secret_id" {
  description = "OCID of the secret holding the webhook signing key OCI Vault generated: give its value to Infisical as the webhook's secret key (null when enable_webhook is false)."
  value       = local.webhook_key_secret_id
}

output "nat_gateway_ip" {
  description = "The public IP address the function reaches Infisical from (with create_network): allow it in Infisical's IP allowlists. Null with your own subnet_id."
  value       = var.create_network ? oci_core_nat_gateway.this[0].nat_ip : null
}

output "configuration" {
  description = "The configuration document stored in the configuration secret (OCIDs, no secret value): what the function reads."
  value       = module.configuration.document
}
