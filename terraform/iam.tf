# Least privilege: the function's dynamic group matches this one function; every grant is scoped to the compartment
# and to the one vault, key, secret or function it concerns. Nothing is granted tenancy-wide. What each statement
# grants, and why, is listed in the README ("Deploy to OCI", "What the policies grant").

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
  # One condition per secret the function reads from its control vault, and none other.
  control_secret_condition = join(", ", [for id in local.control_secret_ids : "target.secret.id = '${id}'"])
}

resource "oci_identity_policy" "function" {
  compartment_id = var.compartment_id
  name           = "${var.name_prefix}-function"
  description    = "What the oci-vault-sync function may do: read its own secrets, manage the secrets of one vault with one key, start its own retries."
  statements = [
    # Its own configuration, fingerprint key, Infisical client secrets and webhook keys: read, by OCID, nothing else
    # of the control vault (no listing, no write: a compromised function cannot change its own configuration).
    "Allow ${local.dg} to read secret-bundles in ${local.c} where any {${local.control_secret_condition}}",
    # The destination vault: list, create, update, schedule and cancel deletion, read bundles of its secrets. Moving a
    # secret to another compartment is never needed, so SECRET_MOVE is taken out of the family.
    "Allow ${local.dg} to manage secret-family in ${local.c} where all {target.vault.id = '${var.vault_id}', request.permission != 'SECRET_MOVE'}",
    "Allow ${local.dg} to use vaults in ${local.c} where target.vault.id = '${var.vault_id}'",
    # Encrypt new secret versions with this key only.
    "Allow ${local.dg} to use keys in ${local.c} where target.key.id = '${var.key_id}'",
    # Retries and hand-offs are detached invocations of itself; the read finds its own invoke endpoint.
    "Allow ${local.dg} to use fn-invocation in ${local.c} where target.function.id = '${oci_functions_function.this.id}'",
    "Allow ${local.dg} to read fn-function in ${local.c} where target.function.id = '${oci_functions_function.this.id}'",
    # Each pass's metrics (alerts.tf): PostMetricData to its own namespace only.
    "Allow ${local.dg} to use metrics in ${local.c} where target.metrics.namespace = '${local.metrics_namespace}'",
  ]
  freeform_tags = var.freeform_tags
}

# Principals that call the function: the schedules, the events rules and the API Gateway, each restricted to this
# function and to the one principal that needs it, named by OCID (no dynamic group applies to them). The rules and
# the gateway depend on their policy, so their first call is not refused. A schedule is named by its own OCID, so its
# policy comes after it: that is safe, a schedule first fires at its next cron time, long after the policy exists.
# (A grant to every resource schedule of the compartment instead would let any of them start the function with any
# body, a removal included.)

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
