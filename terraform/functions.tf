resource "oci_functions_application" "this" {
  compartment_id = local.function_compartment_id
  display_name   = var.name_prefix
  subnet_ids     = [local.subnet_id]
  shape          = var.shape
  freeform_tags  = var.freeform_tags

  lifecycle {
    precondition {
      condition     = local.subnet_id != null
      error_message = "Give subnet_id, or set create_network = true."
    }
  }
}

resource "oci_functions_function" "this" {
  application_id                   = oci_functions_application.this.id
  display_name                     = var.name_prefix
  image                            = var.image
  image_digest                     = var.image_digest
  memory_in_mbs                    = var.function_memory_mb
  timeout_in_seconds               = var.function_timeout_seconds
  detached_mode_timeout_in_seconds = var.detached_timeout_seconds

  config        = local.function_config
  freeform_tags = var.freeform_tags

  # A detached invocation (a retry or a hand-off) that fails or times out leaves its record on the alerts topic
  # (alerts.tf), so a lost retry is seen.
  dynamic "failure_destination" {
    for_each = var.enable_alerts ? [oci_ons_notification_topic.alerts[0].id] : []
    content {
      kind     = "NOTIFICATION"
      topic_id = failure_destination.value
    }
  }

  lifecycle {
    precondition {
      condition     = var.enable_schedule || var.enable_events || var.enable_webhook
      error_message = "Enable at least one trigger: schedule, events or webhook."
    }
    # OCI caps an application's and a function's config at 4 KB; this counts names and values, which is what they hold.
    precondition {
      condition     = length(join("", [for k, v in local.function_config : "${k}${v}"])) <= 4096
      error_message = "The function's config (the module's settings and var.settings) exceeds OCI's 4 KB."
    }
  }
}

variable "settings" {
  type        = map(string)
  default     = {}
  description = "Further service settings for the function, by environment name, e.g. { OVS_SYNC_PARALLELISM = \"4\" } (docs/CONFIGURATION.md, \"Service settings\"). The function refuses to start on an OVS_* name it does not know, naming it. The settings the module writes itself cannot be given here."
  validation {
    condition     = alltrue([for k in keys(var.settings) : can(regex("^OVS_[A-Z0-9_]+$", k))])
    error_message = "settings keys must be OVS_* environment names of the function's settings, such as OVS_SYNC_PARALLELISM."
  }
  validation {
    condition = length(setintersection(keys(var.settings), ["OVS_CONFIG", "OVS_CONFIG_FILE", "OVS_CONFIG_SECRET_ID",
    "OVS_OCI_REGION", "OVS_WEBHOOK_KEY_SECRET_IDS", "OVS_GRANTED_SECRET_IDS", "OVS_METRICS_COMPARTMENT_ID", "OVS_OPERATOR_PRINCIPAL_IDS"])) == 0
    error_message = "settings cannot set OVS_CONFIG, OVS_CONFIG_FILE, OVS_CONFIG_SECRET_ID, OVS_OCI_REGION, OVS_WEBHOOK_KEY_SECRET_IDS, OVS_GRANTED_SECRET_IDS, OVS_METRICS_COMPARTMENT_ID or OVS_OPERATOR_PRINCIPAL_IDS: the module writes them (operator_principal_ids for the last)."
  }
}

locals {
  # What the application reads (see docs/CONFIGURATION.md, "Service settings"). The configuration itself stays in the vault:
  # function config is capped at 4 KB and is visible to anyone who can read the function.
  # Retries need the function's own invoke endpoint, which its config cannot name without a cycle: the function
  # reads it once through the Functions API (the read fn-function grant in iam.tf).
  module_settings = {
    OVS_CONFIG_SECRET_ID = oci_vault_secret.config.id
    OVS_OCI_REGION       = var.region
    # The keys a call through API Gateway is checked against before the configuration is read (without them every
    # gateway call is refused).
    OVS_WEBHOOK_KEY_SECRET_IDS = join(",", local.webhook_key_secret_ids)
    # The secrets the function's read grant names: it refuses a configuration that references another, naming the
    # field, instead of failing on a 404 at run time.
    OVS_GRANTED_SECRET_IDS = join(",", local.control_secret_ids)
    # The pass metrics go to this compartment, where the alarms of alerts.tf look.
    OVS_METRICS_COMPARTMENT_ID = var.compartment_id
    # Who may call sync, plan, import and remove (the oci-subject-id OCI Functions passes); empty: no one.
    OVS_OPERATOR_PRINCIPAL_IDS = join(",", var.operator_principal_ids)
    FN_TARGET                  = "event"
  }
  function_config = merge(var.settings, local.module_settings)
}

resource "oci_logging_log_group" "this" {
  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-logs"
  freeform_tags  = var.freeform_tags
}

resource "oci_logging_log" "invoke" {
  log_group_id       = oci_logging_log_group.this.id
  display_name       = "${var.name_prefix}-invoke"
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days
  configuration {
    source {
      category    = "invoke"
      resource    = oci_functions_application.this.id
      service     = "functions"
      source_type = "OCISERVICE"
    }
    compartment_id = var.compartment_id
  }
  freeform_tags = var.freeform_tags
}
