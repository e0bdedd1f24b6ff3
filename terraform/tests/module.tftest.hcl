# The whole module planned and applied against a mocked OCI provider (`terraform test`; the provider's real schema
# and validation, no OCI API): the configuration holds every OCID the module knows, the function's config passes the
# extra settings and the granted secrets, a sync naming a secret the function may not read is refused before it is
# stored, and the module's own settings cannot be replaced. Needs the oracle/oci provider (8.22 or newer), which
# `terraform init` fetches from the registry, or a local build of it through a dev_overrides CLI configuration.
# Run from terraform/: terraform init && terraform test

mock_provider "oci" {
  mock_data "oci_core_services" {
    defaults = {
      services = [{
        id          = "ocid1.service.oc1.eu-frankfurt-1.mock"
        cidr_block  = "all-fra-services-in-oracle-services-network"
        name        = "All FRA Services In Oracle Services Network"
        description = "mock"
      }]
    }
  }
}

variables {
  tenancy_id            = "ocid1.tenancy.oc1..aaaaaaaamock"
  compartment_id        = "ocid1.compartment.oc1..aaaaaaaamock"
  region                = "eu-frankfurt-1"
  vault_id              = "ocid1.vault.oc1.eu-frankfurt-1.mockdest"
  key_id                = "ocid1.key.oc1.eu-frankfurt-1.mockdest"
  image                 = "fra.ocir.io/ns/oci-vault-sync:0.1.0"
  image_digest          = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  webhook_allowed_cidrs = ["3.72.169.163/32"]
  webhook_client_token  = "0123456789abcdef0123456789abcdef"
  syncs_file            = "examples/basic/syncs.yaml"
  create_network        = true
  enable_webhook        = true
  settings              = { OVS_SYNC_PARALLELISM = "4" }

  operator_principal_ids = ["ocid1.user.oc1..aaaaaaaamockoperator"]
}

run "apply_with_webhook" {
  command = apply
  assert {
    condition     = strcontains(output.configuration, oci_vault_secret.infisical_client_secret.id)
    error_message = "the client secret is in the configuration"
  }
  assert {
    condition     = strcontains(output.configuration, oci_vault_secret.webhook_key[0].id)
    error_message = "the webhook key is in the configuration"
  }
  assert {
    condition     = strcontains(output.configuration, "\"vaultId\":\"ocid1.vault.oc1.eu-frankfurt-1.mockdest\"")
    error_message = "the destination vault is in the configuration"
  }
  assert {
    condition     = oci_functions_function.this.config["OVS_SYNC_PARALLELISM"] == "4"
    error_message = "extra settings pass through"
  }
  assert {
    condition     = strcontains(oci_functions_function.this.config["OVS_GRANTED_SECRET_IDS"], oci_vault_secret.infisical_client_secret.id) && strcontains(oci_functions_function.this.config["OVS_GRANTED_SECRET_IDS"], oci_vault_secret.config.id)
    error_message = "granted secrets"
  }
  assert {
    condition     = oci_functions_function.this.config["OVS_WEBHOOK_KEY_SECRET_IDS"] == oci_vault_secret.webhook_key[0].id
    error_message = "webhook keys"
  }
  assert {
    condition     = oci_functions_function.this.config["OVS_OPERATOR_PRINCIPAL_IDS"] == "ocid1.user.oc1..aaaaaaaamockoperator"
    error_message = "the operators"
  }
  assert {
    condition = toset([for s in oci_identity_policy.function.statements : s if strcontains(s, "manage secret-family")]) == toset([
      "Allow dynamic-group ${oci_identity_dynamic_group.function.name} to manage secret-family in compartment id ocid1.compartment.oc1..aaaaaaaamock where all {target.vault.id = 'ocid1.vault.oc1.eu-frankfurt-1.mockdest', request.permission != 'SECRET_MOVE', target.secret.name = /ovs-state-*/}",
      "Allow dynamic-group ${oci_identity_dynamic_group.function.name} to manage secret-family in compartment id ocid1.compartment.oc1..aaaaaaaamock where all {target.vault.id = 'ocid1.vault.oc1.eu-frankfurt-1.mockdest', request.permission != 'SECRET_MOVE', target.secret.name = /prod-*/}",
    ])
    error_message = "the function manages only the names the example's key schema reaches, and the state secrets"
  }
  assert {
    condition     = output.webhook_key_secret_id == oci_vault_secret.webhook_key[0].id && output.nat_gateway_ip == oci_core_nat_gateway.this[0].nat_ip
    error_message = "outputs"
  }
}

run "no_webhook" {
  command = apply
  variables {
    enable_webhook = false
  }
  assert {
    condition     = !strcontains(output.configuration, "webhookSigningKey") && output.webhook_key_secret_id == null
    error_message = "no webhook key without the webhook"
  }
}

run "own_client_secret_not_granted" {
  command = apply
  variables {
    syncs_file = "tests/own-client-secret.yaml"
  }
  expect_failures = [oci_vault_secret.config]
}

run "own_client_secret_granted" {
  command = apply
  variables {
    syncs_file                  = "tests/own-client-secret.yaml"
    infisical_client_secret_ids = ["ocid1.vaultsecret.oc1.eu-frankfurt-1.mocksecondidentity"]
  }
  assert {
    condition     = strcontains(oci_functions_function.this.config["OVS_GRANTED_SECRET_IDS"], "mocksecondidentity")
    error_message = "granted"
  }
}

run "settings_cannot_replace_the_modules" {
  command = plan
  variables {
    settings = { OVS_OCI_REGION = "us-ashburn-1" }
  }
  expect_failures = [var.settings]
}

run "secret_grant_on_the_whole_vault_when_asked" {
  command = plan
  variables {
    scope_secret_grant_by_name = false
  }
  assert {
    condition = [for s in oci_identity_policy.function.statements : s if strcontains(s, "manage secret-family")] == [
      "Allow dynamic-group ${oci_identity_dynamic_group.function.name} to manage secret-family in compartment id ocid1.compartment.oc1..aaaaaaaamock where all {target.vault.id = 'ocid1.vault.oc1.eu-frankfurt-1.mockdest', request.permission != 'SECRET_MOVE'}",
    ]
    error_message = "one statement on the whole vault"
  }
}
