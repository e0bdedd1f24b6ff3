variable "tenancy_id" {
  type        = string
  description = "OCID of the tenancy: dynamic groups live at its root."
  validation {
    condition     = can(regex("^ocid1\\.tenancy\\.[a-z0-9]+\\.\\.[a-z0-9]+$", var.tenancy_id))
    error_message = "tenancy_id must be a tenancy OCID (ocid1.tenancy.<realm>..<id>)."
  }
}

variable "compartment_id" {
  type        = string
  description = "OCID of the compartment for the function, its network, logs and the secrets it manages."
  validation {
    condition     = can(regex("^ocid1\\.(compartment|tenancy)\\.[a-z0-9]+\\.\\.[a-z0-9]+$", var.compartment_id))
    error_message = "compartment_id must be a compartment OCID (ocid1.compartment.<realm>..<id>)."
  }
}

variable "region" {
  type        = string
  description = "Region of the vault and the function, e.g. eu-frankfurt-1. The function reads its own secrets there (OVS_OCI_REGION)."
  validation {
    condition     = can(regex("^[a-z]+(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be a region identifier such as eu-frankfurt-1."
  }
}

variable "vault_id" {
  type        = string
  description = "OCID of the destination vault the syncs write to; the function may manage secrets of this vault only (never move them)."
  validation {
    condition     = can(regex("^ocid1\\.vault\\.", var.vault_id))
    error_message = "vault_id must be a vault OCID (ocid1.vault.<realm>.<region>.<id>)."
  }
}

variable "key_id" {
  type        = string
  description = "OCID of the AES key (in that vault) that encrypts the secrets the function creates."
  validation {
    condition     = can(regex("^ocid1\\.key\\.", var.key_id))
    error_message = "key_id must be a key OCID (ocid1.key.<realm>.<region>.<id>)."
  }
}

variable "image" {
  type        = string
  description = "The function image in OCIR of the same region, e.g. fra.ocir.io/<namespace>/oci-vault-sync:0.1.0 (OCI Functions pulls only from OCIR)."
  validation {
    condition     = can(regex("^([a-z0-9-]+\\.ocir\\.io|ocir\\.[a-z0-9-]+\\.oci\\.oraclecloud\\.com)/[a-z0-9_-]+/[a-z0-9._/-]+:[A-Za-z0-9._-]+$", var.image))
    error_message = "image must be a tagged OCIR image such as fra.ocir.io/<namespace>/oci-vault-sync:0.1.0."
  }
}

variable "image_digest" {
  type        = string
  description = "The image's digest (sha256:...), as docker push prints it: the function runs exactly that image, and a re-pushed tag cannot change what runs."
  validation {
    condition     = can(regex("^sha256:[0-9a-f]{64}$", var.image_digest))
    error_message = "image_digest must be sha256:<64 hex digits>, as docker push prints it."
  }
}

variable "control_vault_id" {
  type        = string
  default     = null
  description = "OCID of the control vault holding the function's own secrets (configuration, fingerprint key, Infisical credentials, webhook keys), which it may only read. By default the module creates one. Never the vault the syncs write to."
  validation {
    condition     = var.control_vault_id == null || can(regex("^ocid1\\.vault\\.", var.control_vault_id))
    error_message = "control_vault_id must be a vault OCID (ocid1.vault.<realm>.<region>.<id>)."
  }
}

variable "control_key_id" {
  type        = string
  default     = null
  description = "OCID of the AES key of the control vault (required with control_vault_id)."
  validation {
    condition     = var.control_key_id == null || can(regex("^ocid1\\.key\\.", var.control_key_id))
    error_message = "control_key_id must be a key OCID (ocid1.key.<realm>.<region>.<id>)."
  }
}

variable "infisical_client_secret_ids" {
  type        = list(string)
  default     = []
  description = "OCIDs of further control-vault secrets holding Infisical client secrets, for syncs of syncs_file that name their own auth.clientSecret (the module creates one for the others: output infisical_client_secret_id). The function may read exactly these and the secrets the module creates."
  validation {
    condition     = alltrue([for id in var.infisical_client_secret_ids : can(regex("^ocid1\\.vaultsecret\\.", id))])
    error_message = "infisical_client_secret_ids must be vault secret OCIDs."
  }
}

variable "webhook_key_secret_ids" {
  type        = list(string)
  default     = []
  description = "OCIDs of further control-vault secrets holding Infisical webhook signing keys, for syncs of syncs_file that name their own webhookSigningKey (with enable_webhook the module creates one for the others: output webhook_key_secret_id). A call through API Gateway is checked against these and the module's before anything else is read (OVS_WEBHOOK_KEY_SECRET_IDS)."
  validation {
    condition     = alltrue([for id in var.webhook_key_secret_ids : can(regex("^ocid1\\.vaultsecret\\.", id))])
    error_message = "webhook_key_secret_ids must be vault secret OCIDs."
  }
}

variable "operator_principal_ids" {
  type        = list(string)
  default     = []
  description = "OCIDs of the users who may call sync, plan, import and remove (OVS_OPERATOR_PRINCIPAL_IDS; README, \"Who may call what\"). Schedules, Events, the webhook gateway and the function's retries need no listing: they can only reconcile toward the intent recorded in OCI. Empty: no one may call those functions. Each user also needs use fn-invocation on the function."
  validation {
    condition     = alltrue([for id in var.operator_principal_ids : can(regex("^ocid1\\.user\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]+$", id))])
    error_message = "operator_principal_ids must be user OCIDs (ocid1.user.<realm>..<id>): only users may be operators, the one caller whose identity OCI is known to pass to a function (docs/ASSUMPTIONS.md, \"Who calls\")."
  }
}

variable "scope_secret_grant_by_name" {
  type        = bool
  default     = true
  description = "Limit the function's grant on the destination vault to the secret names the syncs' key schemas reach (target.secret.name prefix and suffix patterns) and their state secrets. Turn it off only if OCI refuses creates in your tenancy (a sync's creates FAIL with NotAuthorizedOrNotFound): docs/ASSUMPTIONS.md, \"IAM\"."
}

variable "fingerprint_key_secret_id" {
  type        = string
  default     = null
  description = "OCID of an existing secret holding the fingerprint key; by default the module creates one, generated by OCI Vault so the key never appears in Terraform state."
  validation {
    condition     = var.fingerprint_key_secret_id == null || can(regex("^ocid1\\.vaultsecret\\.", var.fingerprint_key_secret_id))
    error_message = "fingerprint_key_secret_id must be a vault secret OCID."
  }
}

variable "subnet_id" {
  type        = string
  default     = null
  description = "OCID of an existing private subnet for the function. It needs egress to Infisical (a NAT gateway for Infisical Cloud, or a route to a self-hosted instance) and to OCI's APIs (a service gateway). Leave null with create_network = true to have the module build one."
  validation {
    condition     = var.subnet_id == null || can(regex("^ocid1\\.subnet\\.", var.subnet_id))
    error_message = "subnet_id must be a subnet OCID."
  }
}

variable "create_network" {
  type        = bool
  default     = false
  description = "Create a VCN with a private subnet, a NAT gateway and a service gateway (and a public subnet for the webhook gateway when enabled)."
}

variable "vcn_cidr" {
  type        = string
  default     = "10.42.0.0/16"
  description = "CIDR of the VCN created when create_network is true."
  validation {
    condition     = can(cidrhost(var.vcn_cidr, 0))
    error_message = "vcn_cidr must be a CIDR block."
  }
}

variable "function_memory_mb" {
  type        = number
  default     = 256
  description = "Memory of the function in MB (OCI allows 128, 256, 512, 1024, 2048, 3072)."
  validation {
    condition     = contains([128, 256, 512, 1024, 2048, 3072], var.function_memory_mb)
    error_message = "function_memory_mb must be one of 128, 256, 512, 1024, 2048, 3072."
  }
}

variable "function_timeout_seconds" {
  type        = number
  default     = 300
  description = "Timeout of a synchronous invocation (OCI allows up to 300 s)."
  validation {
    condition     = var.function_timeout_seconds >= 30 && var.function_timeout_seconds <= 300
    error_message = "function_timeout_seconds must be between 30 and 300."
  }
}

variable "detached_timeout_seconds" {
  type        = number
  default     = 900
  description = "Timeout of a detached invocation (retries and hand-offs). It must exceed the 120 s retry back-off cap plus a run."
  validation {
    condition     = var.detached_timeout_seconds >= 420 && var.detached_timeout_seconds <= 3600
    error_message = "detached_timeout_seconds must be between 420 and 3600."
  }
}

variable "enable_schedule" {
  type        = bool
  default     = true
  description = "Run the syncs on a schedule (the safety net behind events and webhooks)."
}

variable "fast_schedule_cron" {
  type        = string
  default     = "0 * * * *"
  description = "Cron (UTC) of the fast pass (fingerprints only, list calls only). Hourly by default."
  validation {
    condition     = length(split(" ", trimspace(var.fast_schedule_cron))) == 5
    error_message = "fast_schedule_cron must be a five-field cron expression."
  }
}

variable "deep_schedule_cron" {
  type        = string
  default     = "30 3 * * *"
  description = "Cron (UTC) of the deep pass (reads the managed bundles and repairs out-of-band edits). Daily by default."
  validation {
    condition     = length(split(" ", trimspace(var.deep_schedule_cron))) == 5
    error_message = "deep_schedule_cron must be a five-field cron expression."
  }
}

variable "enable_events" {
  type        = bool
  default     = true
  description = "Run the owning sync when a secret of the vault's compartment changes, and all syncs when the configuration secret changes."
}

variable "secret_event_types" {
  type        = list(string)
  default     = ["com.oraclecloud.vaultsecret.*"]
  description = "Event types the Events rules match. The default matches every event type under the vault secret prefix by OCI Events' documented wildcard, so the rule cannot be silently empty because of a guessed name (docs/ASSUMPTIONS.md, \"Event types\"). The function accepts any com.oraclecloud.vaultsecret.* type and runs nothing for a .begin."
}

variable "enable_webhook" {
  type        = bool
  default     = false
  description = "Create a public API Gateway route for Infisical webhooks (POST <url>/event) and a signing key generated by OCI Vault (output webhook_key_secret_id). Requests through it are served only as webhooks signed with that key (or one of webhook_key_secret_ids)."
}

variable "webhook_rate_limit_per_second" {
  type        = number
  default     = 10
  description = "Requests per second the webhook gateway lets through per client IP (its rate_limiting request policy). Infisical sends one request per change."
  validation {
    condition     = var.webhook_rate_limit_per_second >= 1 && var.webhook_rate_limit_per_second <= 10000 && floor(var.webhook_rate_limit_per_second) == var.webhook_rate_limit_per_second
    error_message = "webhook_rate_limit_per_second must be a whole number from 1 to 10000."
  }
}

variable "webhook_total_rate_limit_per_second" {
  type        = number
  default     = 20
  description = "Requests per second the webhook gateway lets through in total, whatever their source (a usage plan's rate limit, beside the per-IP limit of webhook_rate_limit_per_second)."
  validation {
    condition     = var.webhook_total_rate_limit_per_second >= 1 && var.webhook_total_rate_limit_per_second <= 10000 && floor(var.webhook_total_rate_limit_per_second) == var.webhook_total_rate_limit_per_second
    error_message = "webhook_total_rate_limit_per_second must be a whole number from 1 to 10000."
  }
}

variable "webhook_client_token" {
  type        = string
  default     = null
  sensitive   = true
  description = "Required with enable_webhook: the client token of the webhook gateway's usage plan, 32 to 128 letters, digits, '-' or '_'. Infisical sends it in the webhook URL (?ovs_client=<token>); the gateway drops any request without it before the function runs, and counts the total rate limit against it. It filters noise; the signature is what authenticates a webhook."
  validation {
    condition     = var.webhook_client_token == null || can(regex("^[A-Za-z0-9_-]{32,128}$", var.webhook_client_token))
    error_message = "webhook_client_token must be 32 to 128 letters, digits, '-' or '_'."
  }
}

variable "webhook_allowed_cidrs" {
  type        = list(string)
  default     = []
  description = "Required with enable_webhook: the source CIDRs the webhook gateway accepts HTTPS from, whatever its subnet (a network security group on the gateway; and the security list of the subnet the module creates). Infisical Cloud sends from 3.215.209.139/32 and 100.55.172.40/32 (US) or 3.72.169.163/32 and 51.102.78.137/32 (EU); a self-hosted instance, from its own egress addresses."
  validation {
    condition     = alltrue([for c in var.webhook_allowed_cidrs : can(cidrhost(c, 0))])
    error_message = "webhook_allowed_cidrs must be a list of CIDR blocks."
  }
}

variable "gateway_subnet_id" {
  type        = string
  default     = null
  description = "OCID of a public subnet for the API Gateway when enable_webhook is true and create_network is false. The module attaches a network security group admitting webhook_allowed_cidrs only, and refuses a subnet whose security lists admit HTTPS from anywhere else (security lists and network security groups add up)."
  validation {
    condition     = var.gateway_subnet_id == null || can(regex("^ocid1\\.subnet\\.", var.gateway_subnet_id))
    error_message = "gateway_subnet_id must be a subnet OCID."
  }
}

variable "function_compartment_id" {
  type        = string
  default     = null
  description = "Compartment of the functions application (default: compartment_id). The invoke grants (schedules, Events, the webhook gateway and the function's own retries) take the documented forms, which name a compartment and not a function: give the function a compartment of its own and they reach it alone (README, \"What the policies grant, and why\")."
}

variable "restrict_invoke_grants_to_function" {
  type        = bool
  default     = false
  description = "Optional hardening, off by default: add target.function.id (and, for the gateway, request.principal.id) to the invoke grants. Oracle's policy reference for Functions lists only the general variables; if OCI does not supply these, the grants match nothing and events, schedules, the webhook and retries all fail. Turn it on only after checking in your tenancy that they still work (docs/ASSUMPTIONS.md, \"IAM\")."
}

variable "name_prefix" {
  type        = string
  default     = "oci-vault-sync"
  description = "Prefix of every resource name."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "shape" {
  type        = string
  default     = "GENERIC_X86"
  description = "Functions application shape: GENERIC_X86, GENERIC_ARM or GENERIC_X86_ARM (match the image's architecture)."
  validation {
    condition     = contains(["GENERIC_X86", "GENERIC_ARM", "GENERIC_X86_ARM"], var.shape)
    error_message = "shape must be GENERIC_X86, GENERIC_ARM or GENERIC_X86_ARM."
  }
}

variable "log_retention_days" {
  type        = number
  default     = 30
  description = "Retention of the function's invoke logs, in days: OCI Logging accepts multiples of 30 from 30 to 180."
  validation {
    condition     = contains([30, 60, 90, 120, 150, 180], var.log_retention_days)
    error_message = "log_retention_days must be 30, 60, 90, 120, 150 or 180."
  }
}

variable "freeform_tags" {
  type        = map(string)
  default     = {}
  description = "Freeform tags added to every resource the module creates."
}
