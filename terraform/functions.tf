resource "oci_functions_application" "this" {
  compartment_id = var.compartment_id
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

  # What the application reads (see README, "Service settings"). The configuration itself stays in the vault:
  # function config is capped at 4 KB and is visible to anyone who can read the function.
  # Retries need the function's own invoke endpoint, which its config cannot name without a cycle: the function
  # reads it once through the Functions API (the read fn-function grant in iam.tf).
  # OVS_WEBHOOK_KEY_SECRET_IDS: the keys a call through API Gateway is checked against before the configuration is
  # read (without them every gateway call is refused).
  # OVS_METRICS_COMPARTMENT_ID: the pass metrics go to this compartment, where the alarms of alerts.tf look.
  config = {
    OVS_CONFIG_SECRET_ID       = oci_vault_secret.config.id
    OVS_OCI_REGION             = var.region
    OVS_WEBHOOK_KEY_SECRET_IDS = join(",", var.webhook_key_secret_ids)
    OVS_METRICS_COMPARTMENT_ID = var.compartment_id
    FN_TARGET                  = "event"
  }
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
    precondition {
      condition     = !var.enable_webhook || length(var.webhook_key_secret_ids) > 0
      error_message = "enable_webhook needs webhook_key_secret_ids: the secrets holding the signing keys given to Infisical."
    }
  }
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
