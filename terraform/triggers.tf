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
  count                      = var.enable_webhook ? 1 : 0
  compartment_id             = var.compartment_id
  display_name               = "${var.name_prefix}-webhook"
  endpoint_type              = "PUBLIC"
  subnet_id                  = local.gateway_subnet_id
  network_security_group_ids = [oci_core_network_security_group.webhook_gateway[0].id]
  freeform_tags              = var.freeform_tags

  lifecycle {
    precondition {
      condition     = local.gateway_subnet_id != null
      error_message = "enable_webhook needs gateway_subnet_id (a public subnet), or create_network = true."
    }
    precondition {
      condition     = length(var.webhook_allowed_cidrs) > 0
      error_message = "enable_webhook needs webhook_allowed_cidrs: the source CIDRs of Infisical's webhook requests (Infisical Cloud: 3.215.209.139/32 and 100.55.172.40/32 in the US, 3.72.169.163/32 and 51.102.78.137/32 in the EU; a self-hosted instance: its egress addresses)."
    }
    precondition {
      condition     = var.webhook_client_token != null
      error_message = "enable_webhook needs webhook_client_token (32 to 128 letters, digits, '-' or '_'): the gateway admits only requests that carry it (?ovs_client=<token> in the URL given to Infisical)."
    }
    precondition {
      condition     = length(local.gateway_subnet_open_to) == 0
      error_message = "gateway_subnet_id has a security list admitting HTTPS from sources outside webhook_allowed_cidrs (${join(", ", local.gateway_subnet_open_to)}); security lists and network security groups add up, so the gateway would be open to them. Give the gateway a subnet whose security lists admit no HTTPS, or only from webhook_allowed_cidrs."
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
      # One rate-limiting policy per deployment (max one in the provider's schema; Oracle: "You apply a rate limit
      # globally to all routes in an API deployment specification"): per client IP here, the total in the usage plan.
      rate_limiting {
        rate_in_requests_per_second = var.webhook_rate_limit_per_second
        rate_key                    = "CLIENT_IP"
      }
      # Only requests carrying the usage plan's client token reach a route: "The API gateway only forwards a request
      # to the API deployment if the value of the client token in the location you specify matches the client token
      # of one of the subscribers to a usage plan that includes the API deployment" (docs.oracle.com/iaas/Content/
      # APIGateway/Tasks/apigatewaydefiningusageplans_topic-Making_an_API_Deployment_Eligible_for_Inclusion_in_a_Usage_Plan.htm).
      usage_plans {
        token_locations = ["request.query[ovs_client]"]
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

# The total rate limit: one usage plan, one subscriber whose one client is Infisical. Its entitlement's rate limit
# counts every request that carries the token, whatever its source IP.
resource "oci_apigateway_usage_plan" "webhook" {
  count          = var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-webhook"
  entitlements {
    name        = "infisical-webhooks"
    description = "Infisical webhooks: every request, from any source"
    rate_limit {
      value = var.webhook_total_rate_limit_per_second
      unit  = "SECOND"
    }
    targets {
      deployment_id = oci_apigateway_deployment.webhook[0].id
    }
  }
  freeform_tags = var.freeform_tags
}

resource "oci_apigateway_subscriber" "webhook" {
  count          = var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-infisical"
  usage_plans    = [oci_apigateway_usage_plan.webhook[0].id]
  clients {
    name  = "infisical"
    token = var.webhook_client_token
  }
  freeform_tags = var.freeform_tags
}
