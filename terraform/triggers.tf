# Events: a secret of the vault's compartment changed (run the owning sync with a deep check of that secret), or the
# configuration secret changed (reload and run every sync). Oracle does not list the vault secret event types, so
# secret_event_types is the documented wildcard form, com.oraclecloud.vaultsecret.* (docs/ASSUMPTIONS.md, "Event
# types"), and the function accepts any such type (a .begin runs nothing: its .end follows once the change is done).
# The action block is actions { action { ... } } (oracle/terraform-provider-oci v8.28.0,
# website/docs/r/events_rule.html.markdown; the nested actions { actions { ... } } form is the deprecated one).

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
    action {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.this.id
      description = "Run oci-vault-sync"
    }
  }
  freeform_tags = var.freeform_tags
  depends_on    = [oci_identity_policy.events, oci_identity_policy.function, oci_identity_dynamic_group.function]
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
    action {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.this.id
      description = "Reload oci-vault-sync's configuration"
    }
  }
  freeform_tags = var.freeform_tags
  depends_on    = [oci_identity_policy.events, oci_identity_policy.function, oci_identity_dynamic_group.function]
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
  # Not on oci_identity_policy.schedules: that policy names this schedule's OCID (see iam.tf).
  depends_on = [oci_identity_policy.function, oci_identity_dynamic_group.function]
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
  # Not on oci_identity_policy.schedules: that policy names this schedule's OCID (see iam.tf).
  depends_on = [oci_identity_policy.function, oci_identity_dynamic_group.function]
}

# Optional: a public HTTPS route for Infisical webhooks. Through it the function serves only signed webhooks, checked
# against the keys of webhook_key_secret_ids before anything else is read. The gateway limits the request rate per
# client IP (request_policies.rate_limiting: rate_in_requests_per_second, rate_key CLIENT_IP or TOTAL; see
# docs.oracle.com/iaas/Content/APIGateway/Tasks/apigatewaylimitingbackendaccess.htm) and refuses, before the function
# is invoked, a request without a body or whose content type is not application/json (body_validation, which exists
# only in a route's request_policies: oracle/terraform-provider-oci website/docs/r/apigateway_deployment.html.markdown).
# With validation_type NONE the gateway does not parse the body: that it is JSON is checked by the function, after
# the signature header and before any key is read.

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
      rate_limiting {
        rate_in_requests_per_second = var.webhook_rate_limit_per_second
        rate_key                    = "CLIENT_IP"
      }
    }
    routes {
      path    = "/event"
      methods = ["POST"]
      backend {
        type        = "ORACLE_FUNCTIONS_BACKEND"
        function_id = oci_functions_function.this.id
      }
      request_policies {
        body_validation {
          required        = true
          validation_mode = "ENFORCING"
          content {
            media_type      = "application/json"
            validation_type = "NONE"
          }
        }
      }
    }
  }
  freeform_tags = var.freeform_tags
  depends_on    = [oci_identity_policy.webhook, oci_identity_policy.function, oci_identity_dynamic_group.function]
}
