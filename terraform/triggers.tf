# Events: a secret of the vault's compartment changed (run the owning sync with a deep check of that secret), or the
# configuration secret changed (reload and run every sync).

resource "oci_events_rule" "secrets" {
  count          = var.enable_events ? 1 : 0
  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-secret-changes"
  description    = "Secret changes in the compartment of the vault oci-vault-sync writes to."
  is_enabled     = true
  condition = jsonencode({
    eventType = var.secret_event_types
    data      = { compartmentId = var.compartment_id }
  })
  actions {
    actions {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.this.id
      description = "Run oci-vault-sync"
    }
  }
  freeform_tags = var.freeform_tags
}

resource "oci_events_rule" "config" {
  count          = var.enable_events ? 1 : 0
  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-config-changes"
  description    = "Changes to oci-vault-sync's configuration secret."
  is_enabled     = true
  condition = jsonencode({
    eventType = var.secret_event_types
    data      = { resourceId = oci_vault_secret.config.id }
  })
  actions {
    actions {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.this.id
      description = "Reload oci-vault-sync's configuration"
    }
  }
  freeform_tags = var.freeform_tags
}

# Schedules: the safety net behind events and webhooks. Infisical delivers a webhook once, without retries.

resource "oci_resource_scheduler_schedule" "fast" {
  count              = var.enable_schedule ? 1 : 0
  compartment_id     = var.compartment_id
  display_name       = "${var.name_prefix}-fast"
  description        = "oci-vault-sync fast pass: fingerprints only, list calls only"
  action             = "START_RESOURCE"
  recurrence_type    = "CRON"
  recurrence_details = var.fast_schedule_cron
  resources {
    id = oci_functions_function.this.id
    parameters {
      parameter_type = "BODY"
      value          = ["{\"trigger\":\"schedule\",\"verify\":\"fast\"}"]
    }
  }
  freeform_tags = var.freeform_tags
}

resource "oci_resource_scheduler_schedule" "deep" {
  count              = var.enable_schedule ? 1 : 0
  compartment_id     = var.compartment_id
  display_name       = "${var.name_prefix}-deep"
  description        = "oci-vault-sync deep pass: reads the managed bundles and repairs out-of-band edits"
  action             = "START_RESOURCE"
  recurrence_type    = "CRON"
  recurrence_details = var.deep_schedule_cron
  resources {
    id = oci_functions_function.this.id
    parameters {
      parameter_type = "BODY"
      value          = ["{\"trigger\":\"schedule\",\"verify\":\"deep\"}"]
    }
  }
  freeform_tags = var.freeform_tags
}

# Optional: a public HTTPS route for Infisical webhooks. The function answers only its event function through it,
# and runs a webhook only when its signature verifies.

resource "oci_apigateway_gateway" "webhook" {
  count          = var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-webhook"
  endpoint_type  = "PUBLIC"
  subnet_id      = local.gateway_subnet_id
  freeform_tags  = var.freeform_tags

  lifecycle {
    precondition {
      condition     = local.gateway_subnet_id != null
      error_message = "enable_webhook needs gateway_subnet_id (a public subnet), or create_network = true."
    }
  }
}

resource "oci_apigateway_deployment" "webhook" {
  count          = var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  gateway_id     = oci_apigateway_gateway.webhook[0].id
  display_name   = "${var.name_prefix}-webhook"
  path_prefix    = "/ovs"
  specification {
    request_policies {
      body_validation {
        required = false
        content {
          media_type      = "application/json"
          validation_type = "NONE"
        }
      }
    }
    routes {
      path    = "/event"
      methods = ["POST"]
      backend {
        type        = "ORACLE_FUNCTIONS_BACKEND"
        function_id = oci_functions_function.this.id
      }
    }
  }
  freeform_tags = var.freeform_tags
}
