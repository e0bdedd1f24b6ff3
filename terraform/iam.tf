# Least privilege with documented policy variables only: the function's dynamic group matches this one function; its
# secret grants are scoped to the one vault, key or secret they concern; the invoke grants take the forms Oracle
# documents for each caller, which name a compartment and a principal, not a function. Every policy variable used
# here, with its evidence, is listed in docs/ASSUMPTIONS.md ("IAM"); what each statement grants, and why, in the
# README ("What the policies grant, and why"). Nothing is granted tenancy-wide.

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
  # The function's compartment: every invoke grant is scoped to it, and those policies live there.
  function_compartment_id = coalesce(var.function_compartment_id, var.compartment_id)
  fc                      = "compartment id ${local.function_compartment_id}"
  # One condition per secret the function reads from its control vault, and none other.
  control_secret_condition = join(", ", [for id in local.control_secret_ids : "target.secret.id = '${id}'"])
  # Optional hardening (restrict_invoke_grants_to_function, off by default): no Oracle policy reference lists
  # target.function.id for Functions, so by default no grant depends on it.
  this_function = "target.function.id = '${oci_functions_function.this.id}'"
  only_this     = var.restrict_invoke_grants_to_function ? " where ${local.this_function}" : ""
  and_only_this = var.restrict_invoke_grants_to_function ? ", ${local.this_function}" : ""

  # What the function may do but manage the destination vault's secrets (manage_secrets, below).
  function_statements = [
    # Its own configuration, fingerprint key, Infisical client secrets and webhook keys: read, by OCID, nothing else
    # of the control vault (no listing, no write: a compromised function cannot change its own configuration).
    "Allow ${local.dg} to read secret-bundles in ${local.c} where any {${local.control_secret_condition}}",
    # The destination vault: list its secrets (each pass plans from the listing)...
    "Allow ${local.dg} to inspect secrets in ${local.c} where target.vault.id = '${var.vault_id}'",
    "Allow ${local.dg} to use vaults in ${local.c} where target.vault.id = '${var.vault_id}'",
    # Encrypt new secret versions with this key only.
    "Allow ${local.dg} to use keys in ${local.c} where target.key.id = '${var.key_id}'",
    # Each pass's metrics (alerts.tf): PostMetricData to its own namespace only.
    "Allow ${local.dg} to use metrics in ${local.c} where target.metrics.namespace = '${local.metrics_namespace}'",
  ]

  # The destination vault's secrets the function may manage: only the names the syncs' key schemas reach, and their
  # state secrets (target.secret.name, documented for secrets, secret versions and bundles; docs/ASSUMPTIONS.md,
  # "IAM"). A sync that reaches every name (manageEverySecretInVault), or scope_secret_grant_by_name = false, leaves
  # the grant on the whole vault. A listing names no secret, so it has a grant of its own: OCI declines a request to
  # which a statement's variable does not apply.
  secret_name_conditions = module.configuration.secret_name_conditions
  whole_vault            = !var.scope_secret_grant_by_name || contains(local.secret_name_conditions, "")
  vault_secrets          = "target.vault.id = '${var.vault_id}', request.permission != 'SECRET_MOVE'"
  manage_secrets = local.whole_vault ? [
    "Allow ${local.dg} to manage secret-family in ${local.c} where all {${local.vault_secrets}}",
    ] : [for condition in local.secret_name_conditions :
    "Allow ${local.dg} to manage secret-family in ${local.c} where all {${local.vault_secrets}, ${condition}}"
  ]
}

resource "oci_identity_policy" "function" {
  compartment_id = var.compartment_id
  name           = "${var.name_prefix}-function"
  description    = "What the oci-vault-sync function may do with secrets: read its own, manage those of one vault its syncs reach, with one key."
  statements     = concat(local.function_statements, local.manage_secrets)
  freeform_tags  = var.freeform_tags
}

# Calls to the function. Each caller's grant is the form Oracle documents for it, scoped to the function's compartment
# (function_compartment_id: give the function one of its own and these reach it alone), and restricted to the one
# principal that needs it where the caller's documentation names one.

resource "oci_identity_policy" "invoke" {
  compartment_id = local.function_compartment_id
  name           = "${var.name_prefix}-invoke"
  description    = "The oci-vault-sync function may start its own retries."
  statements = [
    # Retries and hand-offs are detached invocations of itself; the read finds its own invoke endpoint.
    "Allow ${local.dg} to use fn-invocation in ${local.fc}${local.only_this}",
    "Allow ${local.dg} to read fn-function in ${local.fc}${local.only_this}",
  ]
  freeform_tags = var.freeform_tags
}

# The rules and the gateway depend on their policy, so their first call is not refused. A schedule is named by its own
# OCID, so its policy comes after it: that is safe, a schedule first fires at its next cron time, long after the policy
# exists. (A grant to every resource schedule of the compartment instead would let any of them start the function with
# any body, a removal included.)

resource "oci_identity_policy" "schedules" {
  count          = var.enable_schedule ? 1 : 0
  compartment_id = local.function_compartment_id
  name           = "${var.name_prefix}-schedules"
  description    = "The oci-vault-sync schedules may start the function."
  statements = [
    "Allow any-user to manage functions-family in ${local.fc} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.fast[0].id}'${local.and_only_this}}",
    "Allow any-user to manage functions-family in ${local.fc} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.deep[0].id}'${local.and_only_this}}",
  ]
  freeform_tags = var.freeform_tags
}

resource "oci_identity_policy" "webhook" {
  count          = var.enable_webhook ? 1 : 0
  compartment_id = local.function_compartment_id
  name           = "${var.name_prefix}-webhook"
  description    = "The API gateways of the oci-vault-sync compartment may call the function."
  statements = [
    # API Gateway's documented grant names the gateways' compartment, not one gateway: keep other gateways out of
    # that compartment (or turn on restrict_invoke_grants_to_function, which adds the gateway's own OCID).
    "Allow any-user to use functions-family in ${local.fc} where all {request.principal.type = 'ApiGateway', request.resource.compartment.id = '${var.compartment_id}'${var.restrict_invoke_grants_to_function ? ", request.principal.id = '${oci_apigateway_gateway.webhook[0].id}'" : ""}${local.and_only_this}}",
  ]
  freeform_tags = var.freeform_tags
}

resource "oci_identity_policy" "events" {
  count          = var.enable_events ? 1 : 0
  compartment_id = local.function_compartment_id
  name           = "${var.name_prefix}-events"
  description    = "The Events service may deliver secret-change events to the oci-vault-sync function."
  statements = [
    "Allow service cloudEvents to use functions-family in ${local.fc}${local.only_this}",
  ]
  freeform_tags = var.freeform_tags
}
