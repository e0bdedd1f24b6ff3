mock_provider "oci" {}

variables {
  tenancy_id                  = "ocid1.tenancy.oc1..aaaaaaaamock"
  compartment_id              = "ocid1.compartment.oc1..aaaaaaaamock"
  region                      = "eu-frankfurt-1"
  vault_id                    = "ocid1.vault.oc1.eu-frankfurt-1.mockdest"
  key_id                      = "ocid1.key.oc1.eu-frankfurt-1.mockdest"
  image                       = "fra.ocir.io/ns/oci-vault-sync:0.1.0"
  image_digest                = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  syncs_file                  = "examples/basic/syncs.yaml"
  subnet_id                   = "ocid1.subnet.oc1.eu-frankfurt-1.mockprivate"
  gateway_subnet_id           = "ocid1.subnet.oc1.eu-frankfurt-1.mockpublic"
  control_vault_id            = "ocid1.vault.oc1.eu-frankfurt-1.mockcontrol"
  control_key_id              = "ocid1.key.oc1.eu-frankfurt-1.mockcontrol"
  fingerprint_key_secret_id   = "ocid1.vaultsecret.oc1.eu-frankfurt-1.mockfp"
  infisical_client_secret_ids = ["ocid1.vaultsecret.oc1.eu-frankfurt-1.mockclient"]
  webhook_key_secret_ids      = ["ocid1.vaultsecret.oc1.eu-frankfurt-1.mockwebhook"]
  enable_webhook              = true
  webhook_allowed_cidrs       = ["3.72.169.163/32", "51.102.78.137/32"]
  webhook_client_token        = "0123456789abcdef0123456789abcdef"
}

run "byo_webhook_with_cidrs_and_token" {
  command = plan
  assert {
    condition     = length(oci_core_network_security_group_security_rule.webhook_in) == 2
    error_message = "one ingress rule per allowed CIDR"
  }
}

run "created_network_webhook" {
  command = plan
  override_data {
    target = data.oci_core_services.all[0]
    values = {
      services = [{ id = "ocid1.service.oc1.eu-frankfurt-1.all", cidr_block = "all-fra-services-in-oracle-services-network" }]
    }
  }
  variables {
    create_network    = true
    subnet_id         = null
    gateway_subnet_id = null
  }
}

run "webhook_without_cidrs_is_refused" {
  command = plan
  variables {
    webhook_allowed_cidrs = []
  }
  expect_failures = [oci_apigateway_gateway.webhook]
}

run "webhook_without_token_is_refused" {
  command = plan
  variables {
    webhook_client_token = null
  }
  expect_failures = [oci_apigateway_gateway.webhook]
}

run "byo_subnet_open_to_everyone_is_refused" {
  command = plan
  override_data {
    target = data.oci_core_subnet.gateway[0]
    values = {
      compartment_id    = "ocid1.compartment.oc1..aaaaaaaamock"
      vcn_id            = "ocid1.vcn.oc1.eu-frankfurt-1.mock"
      security_list_ids = ["ocid1.securitylist.oc1.eu-frankfurt-1.open"]
    }
  }
  override_data {
    target = data.oci_core_security_lists.gateway[0]
    values = {
      security_lists = [{
        id = "ocid1.securitylist.oc1.eu-frankfurt-1.open"
        ingress_security_rules = [{
          protocol    = "6"
          source      = "0.0.0.0/0"
          tcp_options = [{ min = 443, max = 443 }]
        }]
      }]
    }
  }
  expect_failures = [oci_apigateway_gateway.webhook]
}

run "byo_subnet_open_only_to_the_allowed_cidrs_is_fine" {
  command = plan
  override_data {
    target = data.oci_core_subnet.gateway[0]
    values = {
      compartment_id    = "ocid1.compartment.oc1..aaaaaaaamock"
      vcn_id            = "ocid1.vcn.oc1.eu-frankfurt-1.mock"
      security_list_ids = ["ocid1.securitylist.oc1.eu-frankfurt-1.ok"]
    }
  }
  override_data {
    target = data.oci_core_security_lists.gateway[0]
    values = {
      security_lists = [{
        id = "ocid1.securitylist.oc1.eu-frankfurt-1.ok"
        ingress_security_rules = [{
          protocol    = "6"
          source      = "3.72.169.163/32"
          tcp_options = [{ min = 443, max = 443 }]
          }, {
          protocol    = "6"
          source      = "0.0.0.0/0"
          tcp_options = [{ min = 22, max = 22 }]
        }]
      }]
    }
  }
}

run "image_digest_is_required" {
  command = plan
  variables {
    image_digest = "latest"
  }
  expect_failures = [var.image_digest]
}
