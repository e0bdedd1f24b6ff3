# The configuration document the function reads (OVS_CONFIG_SECRET_ID), composed from the syncs the operator writes
# and the OCIDs the module knows: the operator never types an OCID the module already has, so the document and the
# resources cannot disagree. No provider: `terraform apply` of this module alone renders the document
# (TerraformConfigurationTest does, and the product parses the result).
#
# The operator's file holds `syncs:` only; for each sync the module writes
#   destination                          the region, compartment, vault and key of the module's variables
#   source.auth.clientSecret             the client-secret secret the module created (infisical sources, unless given)
#   source.webhookSigningKey             the webhook key the module created (infisical sources, with the webhook on,
#                                        unless given)
# and the document's fingerprintKey. A sync that names its own clientSecret or webhookSigningKey keeps it; that
# secret must then be one the function may read (infisical_client_secret_ids, webhook_key_secret_ids of the module),
# or the function refuses the configuration naming the field.

terraform {
  required_version = ">= 1.5.0"
}

variable "syncs_file" {
  type        = string
  description = "Path to the operator's YAML file holding `syncs:` (names, sources and options; no OCIDs)."
}

variable "region" {
  type        = string
  description = "Region of the destination vault (each sync's destination.region)."
}

variable "compartment_id" {
  type        = string
  description = "Compartment the syncs' secrets are created in (each sync's destination.compartmentId)."
}

variable "vault_id" {
  type        = string
  description = "The destination vault (each sync's destination.vaultId)."
}

variable "key_id" {
  type        = string
  description = "The key new secrets are encrypted with (each sync's destination.keyId)."
}

variable "fingerprint_key_secret_id" {
  type        = string
  description = "The secret holding the fingerprint key (the document's fingerprintKey)."
}

variable "infisical_client_secret_id" {
  type        = string
  description = "The secret holding the Infisical client secret, for each infisical source that names none."
}

variable "webhook_key_secret_id" {
  type        = string
  default     = null
  description = "The secret holding the webhook signing key, for each infisical source that names none; null: no webhook."
}

locals {
  input = yamldecode(file(var.syncs_file))
  # A file of another shape is reported by the output's preconditions, not by an error inside these expressions.
  raw_syncs  = try(local.input.syncs, null)
  user_syncs = [for s in try(flatten([local.raw_syncs]), []) : s if can(keys(s))]

  destination = {
    region        = var.region
    compartmentId = var.compartment_id
    vaultId       = var.vault_id
    keyId         = var.key_id
  }

  # One object per sync. merge() over a list that is empty or holds one object adds a field only when it applies
  # (a conditional would need both branches to have the same type).
  syncs = [for s in local.user_syncs : merge(s, { destination = local.destination },
    [for src in [try(s.source, null)] : {
      source = merge(src, concat(
        [for t in [try(src.type, "")] : {
          auth = merge({ clientSecret = { secretId = var.infisical_client_secret_id } }, try(src.auth, {}))
        } if t == "infisical"],
        [for t in [try(src.type, "")] : {
          webhookSigningKey = { secretId = var.webhook_key_secret_id }
        } if t == "infisical" && var.webhook_key_secret_id != null && !can(src.webhookSigningKey)],
      )...)
    } if can(keys(src))]...)
  ]

  document = {
    fingerprintKey = { secretId = var.fingerprint_key_secret_id }
    syncs          = local.syncs
  }

  # The names each sync can reach in the destination vault: its keySchema (default {{secretKey}}: the source keys) with
  # {{environment}} filled in, split around {{secretKey}}. A literal part before it becomes a prefix pattern, after it
  # a suffix pattern (OCI's policy conditions match /abc*/ and /*abc/, case-insensitively); no literal part reaches
  # every name, which the function refuses unless the sync sets manageEverySecretInVault.
  name_parts = [for s in local.user_syncs : split("{{secretKey}}", replace(
  try(tostring(s.options.keySchema), "{{secretKey}}"), "{{environment}}", try(tostring(s.source.environment), "local")))]
  name_conditions = [for p in local.name_parts : join(", ", compact([
    try(p[0], "") != "" ? "target.secret.name = /${p[0]}*/" : "",
    try(p[1], "") != "" ? "target.secret.name = /*${p[1]}/" : "",
  ]))]
}

output "document" {
  description = "The configuration document (JSON), as stored in the configuration secret."
  value       = jsonencode(local.document)

  precondition {
    condition     = can(keys(local.input)) && try(keys(local.input) == ["syncs"], false)
    error_message = "The syncs file must be a mapping with one field, syncs (the module writes fingerprintKey)."
  }
  precondition {
    condition = (can(length(local.raw_syncs)) && !can(tostring(local.raw_syncs)) && !can(keys(local.raw_syncs))
    && try(length(local.raw_syncs) == length(local.user_syncs), false) && length(local.user_syncs) > 0)
    error_message = "The syncs file's syncs must be a list of at least one sync, each a mapping."
  }
  precondition {
    condition     = alltrue([for p in local.name_parts : alltrue([for x in p : can(regex("^[A-Za-z0-9._-]*$", x))])])
    error_message = "A sync's keySchema holds characters other than letters, digits, '-', '_' and '.' outside {{secretKey}} and {{environment}} (OCI secret names allow nothing else)."
  }
  precondition {
    condition     = alltrue([for s in local.user_syncs : !can(s.destination)])
    error_message = "A sync of the syncs file has a destination: the module writes it (region, compartment_id, vault_id, key_id); remove it."
  }
}

output "secret_name_conditions" {
  description = "The policy conditions naming what the syncs may manage in the destination vault, one per distinct key schema, and the syncs' state secrets (ovs-state-<sync>); an empty one means a sync reaches every name of the vault."
  value       = distinct(concat(["target.secret.name = /ovs-state-*/"], local.name_conditions))
}

output "secret_ids" {
  description = "Every secret OCID the document references (the function must be allowed to read each one)."
  value = distinct(compact(concat([var.fingerprint_key_secret_id], flatten([for s in local.syncs : [
    try(s.source.auth.clientSecret.secretId, null),
    try(s.source.webhookSigningKey.secretId, null),
  ]]))))
}
