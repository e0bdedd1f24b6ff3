# Least privilege: the function's dynamic group matches this one function; every grant is scoped to the compartment
# and, where OCI allows a condition, to the one vault, key or function. Nothing is granted tenancy-wide.

resource "oci_identity_dynamic_group" "function" {
  compartment_id = var.tenancy_id
  name           = "${var.name_prefix}-function"
  description    = "The oci-vault-sync function (resource principal)."
  matching_rule  = "ALL {resource.type = 'fnfunc', resource.id = '${oci_functions_function.this.id}'}"
  freeform_tags  = var.freeform_tags
}

locals {
  dg = "dynamic-group ${oci_identity_dynamic_group.function.name}"
  c  = "compartment id ${var.compartment_id}"
}

resource "oci_identity_policy" "function" {
  compartment_id = var.compartment_id
  name           = "${var.name_prefix}-function"
  description    = "What the oci-vault-sync function may do: the secrets of one vault, one key, its own retries."
  statements = [
    # List, create, update, schedule/cancel deletion and read the secrets of this vault only (including its own
    # configuration, fingerprint key and Infisical credentials, which live in the same vault).
    "Allow ${local.dg} to manage secret-family in ${local.c} where target.vault.id = '${var.vault_id}'",
    "Allow ${local.dg} to use vaults in ${local.c} where target.vault.id = '${var.vault_id}'",
    # Encrypt new secret versions with this key only.
    "Allow ${local.dg} to use keys in ${local.c} where target.key.id = '${var.key_id}'",
    # Retries and hand-offs are detached invocations of itself; the read finds its own invoke endpoint.
    "Allow ${local.dg} to use fn-invocation in ${local.c} where target.function.id = '${oci_functions_function.this.id}'",
    "Allow ${local.dg} to read fn-function in ${local.c} where target.function.id = '${oci_functions_function.this.id}'",
  ]
  freeform_tags = var.freeform_tags
}

# Principals that call the function: the schedules, the events rules and the API Gateway, each restricted to this
# function and to the principal that needs it (no dynamic group applies to them).

resource "oci_identity_policy" "schedules" {
  count          = var.enable_schedule ? 1 : 0
  compartment_id = var.compartment_id
  name           = "${var.name_prefix}-schedules"
  description    = "The oci-vault-sync schedules may start the function."
  statements = [
    "Allow any-user to manage functions-family in ${local.c} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.fast[0].id}', target.function.id = '${oci_functions_function.this.id}'}",
    "Allow any-user to manage functions-family in ${local.c} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.deep[0].id}', target.function.id = '${oci_functions_function.this.id}'}",
  ]
  freeform_tags = var.freeform_tags
}

resource "oci_identity_policy" "webhook" {
  count          = var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  name           = "${var.name_prefix}-webhook"
  description    = "The webhook API Gateway may call the oci-vault-sync function."
  statements = [
    "Allow any-user to use functions-family in ${local.c} where all {request.principal.type = 'ApiGateway', request.principal.id = '${oci_apigateway_gateway.webhook[0].id}', target.function.id = '${oci_functions_function.this.id}'}",
  ]
  freeform_tags = var.freeform_tags
}

resource "oci_identity_policy" "events" {
  count          = var.enable_events ? 1 : 0
  compartment_id = var.compartment_id
  name           = "${var.name_prefix}-events"
  description    = "The Events service may deliver secret-change events to the oci-vault-sync function."
  statements = [
    "Allow service cloudEvents to use functions-family in ${local.c} where target.function.id = '${oci_functions_function.this.id}'",
  ]
  freeform_tags = var.freeform_tags
}
