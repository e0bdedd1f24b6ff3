# Alerts (README, "Metrics, alerts and logs"): a Notifications topic (with optional email subscriptions) that receives
# - the alarms on the metrics the function posts after each pass (namespace ocivaultsync, dimensions sync and trigger):
#   a sync whose last alert_consecutive_failures passes failed in a row, and a sync with no successful pass for twice
#   the fast schedule's period;
# - the alarms on OCI Functions' own metrics (namespace oci_faas, Oracle's "Function Metrics"): error responses, and
#   invocations that ran to within 5% of their timeout;
# - the record OCI Functions delivers when a detached invocation (a retry or a hand-off) fails: the function's
#   failure_destination (functions.tf), so a lost retry is seen.
# The function may post metrics to its namespace only (the use metrics grant in iam.tf); OVS_METRICS_COMPARTMENT_ID
# (functions.tf) makes it post them to this compartment, where the alarms look.

variable "enable_alerts" {
  type        = bool
  default     = true
  description = "Create the alerts topic, its alarms, and the failure destination of detached invocations (retries, hand-offs)."
}

variable "alert_emails" {
  type        = list(string)
  default     = []
  description = "Email addresses subscribed to the alerts topic (each must confirm the subscription OCI mails it). Other subscriptions (PagerDuty, Slack, HTTPS) can be added to the topic (output alerts_topic_id)."
  validation {
    condition     = alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alert_emails must be email addresses."
  }
}

variable "fast_schedule_period_minutes" {
  type        = number
  default     = 60
  description = "How often fast_schedule_cron fires, in minutes (hourly by default). A sync with no successful pass for twice this long raises an alarm; OCI's alarm intervals allow 1-60 minutes or whole hours up to 24."
  validation {
    condition     = var.fast_schedule_period_minutes >= 1 && var.fast_schedule_period_minutes <= 720 && floor(var.fast_schedule_period_minutes) == var.fast_schedule_period_minutes && (var.fast_schedule_period_minutes <= 30 || var.fast_schedule_period_minutes % 30 == 0)
    error_message = "fast_schedule_period_minutes must be a whole number from 1 to 30, or a multiple of 30 up to 720 (twice it must be an alarm interval: 1-60 minutes or whole hours up to 24)."
  }
}

variable "alert_consecutive_failures" {
  type        = number
  default     = 3
  description = "A sync whose last this many passes failed in a row (FAILED, PARTIAL or BLOCKED, whatever started them) raises an alarm. The count is the one the sync's state secret keeps and the status function answers."
  validation {
    condition     = var.alert_consecutive_failures >= 1 && var.alert_consecutive_failures <= 1000 && floor(var.alert_consecutive_failures) == var.alert_consecutive_failures
    error_message = "alert_consecutive_failures must be a whole number from 1 to 1000."
  }
}

locals {
  alerts = var.enable_alerts ? 1 : 0
  # The function's metric namespace (metrics.PassMetrics.NAMESPACE). Not oci_vault_sync: Monitoring reserves the
  # prefixes oci_ and oracle_.
  metrics_namespace = "ocivaultsync"
  # MQL intervals are 1m-60m, 1h-24h or 1d (Oracle's "Monitoring Query Language (MQL) Reference", Interval).
  no_success_minutes = 2 * var.fast_schedule_period_minutes
  no_success_window  = local.no_success_minutes <= 60 ? "${local.no_success_minutes}m" : "${floor(local.no_success_minutes / 60)}h"
  # Where to look first, in every alarm's message: the status function answers every sync's outcome, consecutive
  # failures and first failing reason; the logs hold the rest.
  runbook = "Status of every sync, with why each failing one fails: oci fn function invoke --function-id ${oci_functions_function.this.id} --file - --body '{\"function\":\"status\"}' (or fn invoke with that body). Its failures in the logs: OCI Logging search on the log group (output log_group_id), where data.message = '*\"sync\":\"<sync>\"*' and data.message = '*\"status\":\"FAILED\"*'."
}

resource "oci_ons_notification_topic" "alerts" {
  count          = local.alerts
  compartment_id = var.compartment_id
  name           = "${var.name_prefix}-alerts"
  description    = "oci-vault-sync alerts: failing syncs, function errors and timeouts, failed retries."
  freeform_tags  = var.freeform_tags
}

resource "oci_ons_subscription" "alert_email" {
  count          = var.enable_alerts ? length(var.alert_emails) : 0
  compartment_id = var.compartment_id
  topic_id       = oci_ons_notification_topic.alerts[0].id
  protocol       = "EMAIL"
  endpoint       = var.alert_emails[count.index]
  freeform_tags  = var.freeform_tags
}

# consecutive_failures is posted after each pass: how many passes of the sync in a row failed (FAILED, PARTIAL or
# BLOCKED), as the sync's state secret counts them, whichever container ran them and whatever started them; 0 once one
# succeeds or defers. Its maximum reaches alert_consecutive_failures with the pass that fails that many times in a row,
# whatever the schedule's period; the window, twice the fast schedule's period, always holds a pass of a running
# sync, and the alarm clears within it once a pass succeeds. A pass that cannot even list its vault knows no count and
# posts none: sync_no_success raises that sync.
resource "oci_monitoring_alarm" "sync_failing" {
  count                                         = local.alerts
  compartment_id                                = var.compartment_id
  metric_compartment_id                         = var.compartment_id
  namespace                                     = local.metrics_namespace
  display_name                                  = "${var.name_prefix}: a sync keeps failing"
  query                                         = "consecutive_failures[${local.no_success_window}].groupBy(sync).max() >= ${var.alert_consecutive_failures}"
  severity                                      = "CRITICAL"
  destinations                                  = [oci_ons_notification_topic.alerts[0].id]
  is_enabled                                    = true
  is_notifications_per_metric_dimension_enabled = true
  message_format                                = "ONS_OPTIMIZED"
  body                                          = "The last ${var.alert_consecutive_failures} passes of this sync or more failed in a row: what it should write may not reach the vault. ${local.runbook}"
  freeform_tags                                 = var.freeform_tags
}

# passes_succeeded is posted (value 1) only for a SUCCEEDED pass: its absence for the whole window means no pass of the
# sync succeeded for twice the schedule's period, whether passes failed, stayed partial or deferred, or did not run at
# all. The absence detection period is OCI's longest, three days; a sync silent for longer falls out of it. A sync with
# auto-sync off that is only run by hand raises it twice the period after each manual success.
resource "oci_monitoring_alarm" "sync_no_success" {
  count                                         = local.alerts
  compartment_id                                = var.compartment_id
  metric_compartment_id                         = var.compartment_id
  namespace                                     = local.metrics_namespace
  display_name                                  = "${var.name_prefix}: a sync has not succeeded for ${local.no_success_window}"
  query                                         = "passes_succeeded[${local.no_success_window}].groupBy(sync).absent(3d)"
  severity                                      = "ERROR"
  destinations                                  = [oci_ons_notification_topic.alerts[0].id]
  is_enabled                                    = true
  is_notifications_per_metric_dimension_enabled = true
  message_format                                = "ONS_OPTIMIZED"
  body                                          = "No pass of this sync succeeded for ${local.no_success_window}, twice the schedule: its secrets may be stale. ${local.runbook}"
  freeform_tags                                 = var.freeform_tags
}

# FunctionResponseCount counts invocations by responseType (Success, Error, Throttled); an invocation that crashed or
# timed out answers an error (Oracle's "Function Metrics", dimensions resourceId and responseType).
resource "oci_monitoring_alarm" "function_errors" {
  count                 = local.alerts
  compartment_id        = var.compartment_id
  metric_compartment_id = var.compartment_id
  namespace             = "oci_faas"
  display_name          = "${var.name_prefix}: the function answered errors"
  query                 = "FunctionResponseCount[5m]{resourceId = \"${oci_functions_function.this.id}\", responseType = \"Error\"}.sum() > 0"
  severity              = "ERROR"
  destinations          = [oci_ons_notification_topic.alerts[0].id]
  is_enabled            = true
  message_format        = "ONS_OPTIMIZED"
  body                  = "The oci-vault-sync function crashed or timed out (an error response, not a sync's report). Its invoke log (output log_group_id) has the reason. ${local.runbook}"
  freeform_tags         = var.freeform_tags
}

# FunctionExecutionDuration (milliseconds) near the timeout of the invocation's type: the base rule for synchronous
# invocations (function_timeout_seconds), an override for detached ones (retries and hand-offs,
# detached_timeout_seconds). The invokeType dimension (Sync or Detached) is "only available in some commercial realms":
# where it is missing these rules never fire, and a timed-out invocation still raises function_errors.
resource "oci_monitoring_alarm" "function_timeouts" {
  count                 = local.alerts
  compartment_id        = var.compartment_id
  metric_compartment_id = var.compartment_id
  namespace             = "oci_faas"
  display_name          = "${var.name_prefix}: the function ran into its timeout"
  query                 = "FunctionExecutionDuration[5m]{resourceId = \"${oci_functions_function.this.id}\", invokeType = \"Sync\"}.max() >= ${floor(var.function_timeout_seconds * 950)}"
  severity              = "ERROR"
  destinations          = [oci_ons_notification_topic.alerts[0].id]
  is_enabled            = true
  message_format        = "ONS_OPTIMIZED"
  body                  = "An invocation of the oci-vault-sync function ran to within 5% of its ${var.function_timeout_seconds} s timeout: its passes hand off or defer what does not fit, so look for a stuck source or vault call. ${local.runbook}"
  freeform_tags         = var.freeform_tags

  overrides {
    rule_name = "detached"
    query     = "FunctionExecutionDuration[5m]{resourceId = \"${oci_functions_function.this.id}\", invokeType = \"Detached\"}.max() >= ${floor(var.detached_timeout_seconds * 950)}"
    severity  = "ERROR"
    body      = "A detached invocation (a retry or a hand-off) of the oci-vault-sync function ran to within 5% of its ${var.detached_timeout_seconds} s timeout. ${local.runbook}"
  }
}

# OCI Functions delivers the record of a failed detached invocation to the failure destination, and "to write to the
# destination service, OCI Functions requires IAM policy permissions" (Oracle's "Invoking Functions in Detached
# Mode"); Notifications has no variable naming one topic, so the grant names the one function and the compartment.
# Whether it is exactly the statement OCI needs is not confirmed (docs/ASSUMPTIONS.md): a refused delivery shows as
# "Invocation record delivery to failure destination failed" in the invoke log.
resource "oci_identity_policy" "alerts" {
  count          = local.alerts
  compartment_id = var.compartment_id
  name           = "${var.name_prefix}-alerts"
  description    = "OCI Functions may deliver the records of the oci-vault-sync function's failed detached invocations to the alerts topic."
  statements = [
    "Allow any-user to use ons-topics in ${local.c} where all {request.principal.type = 'fnfunc', request.principal.id = '${oci_functions_function.this.id}'}",
  ]
  freeform_tags = var.freeform_tags
}

output "alerts_topic_id" {
  description = "OCID of the Notifications topic the alarms and failed retries go to (null when enable_alerts is false): add subscriptions here."
  value       = var.enable_alerts ? oci_ons_notification_topic.alerts[0].id : null
}

output "alarm_ids" {
  description = "OCIDs of the alarms by name: sync_failing, sync_no_success, function_errors, function_timeouts (empty when enable_alerts is false)."
  value = var.enable_alerts ? {
    sync_failing      = oci_monitoring_alarm.sync_failing[0].id
    sync_no_success   = oci_monitoring_alarm.sync_no_success[0].id
    function_errors   = oci_monitoring_alarm.function_errors[0].id
    function_timeouts = oci_monitoring_alarm.function_timeouts[0].id
  } : {}
}
