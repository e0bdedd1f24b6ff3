# The function needs egress to Infisical (NAT gateway for Infisical Cloud; a self-hosted instance needs its own route)
# and to OCI's APIs (service gateway). Bring a subnet that has both, or let the module build one.

locals {
  subnet_id         = var.create_network ? oci_core_subnet.functions[0].id : var.subnet_id
  gateway_subnet_id = var.create_network ? try(oci_core_subnet.gateway[0].id, null) : var.gateway_subnet_id
}

data "oci_core_services" "all" {
  count = var.create_network ? 1 : 0
  filter {
    name   = "name"
    values = ["All .* Services In Oracle Services Network"]
    regex  = true
  }
}

resource "oci_core_vcn" "this" {
  count          = var.create_network ? 1 : 0
  compartment_id = var.compartment_id
  cidr_blocks    = [var.vcn_cidr]
  display_name   = "${var.name_prefix}-vcn"
  dns_label      = "ovs"
  freeform_tags  = var.freeform_tags
}

resource "oci_core_nat_gateway" "this" {
  count          = var.create_network ? 1 : 0
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-nat"
  freeform_tags  = var.freeform_tags
}

resource "oci_core_service_gateway" "this" {
  count          = var.create_network ? 1 : 0
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-sgw"
  services {
    service_id = data.oci_core_services.all[0].services[0].id
  }
  freeform_tags = var.freeform_tags
}

resource "oci_core_route_table" "functions" {
  count          = var.create_network ? 1 : 0
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-private-rt"
  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_nat_gateway.this[0].id
  }
  route_rules {
    destination       = data.oci_core_services.all[0].services[0].cidr_block
    destination_type  = "SERVICE_CIDR_BLOCK"
    network_entity_id = oci_core_service_gateway.this[0].id
  }
  freeform_tags = var.freeform_tags
}

resource "oci_core_security_list" "functions" {
  count          = var.create_network ? 1 : 0
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-private-sl"
  # HTTPS out only: Infisical and OCI's APIs. Nothing comes in; the platform reaches the function on its own.
  egress_security_rules {
    destination = "0.0.0.0/0"
    protocol    = "6"
    tcp_options {
      min = 443
      max = 443
    }
  }
  egress_security_rules {
    destination      = data.oci_core_services.all[0].services[0].cidr_block
    destination_type = "SERVICE_CIDR_BLOCK"
    protocol         = "6"
    tcp_options {
      min = 443
      max = 443
    }
  }
  freeform_tags = var.freeform_tags
}

resource "oci_core_subnet" "functions" {
  count                      = var.create_network ? 1 : 0
  compartment_id             = var.compartment_id
  vcn_id                     = oci_core_vcn.this[0].id
  cidr_block                 = cidrsubnet(var.vcn_cidr, 8, 1)
  display_name               = "${var.name_prefix}-functions"
  dns_label                  = "fn"
  prohibit_public_ip_on_vnic = true
  route_table_id             = oci_core_route_table.functions[0].id
  security_list_ids          = [oci_core_security_list.functions[0].id]
  freeform_tags              = var.freeform_tags
}

# A public subnet for the webhook's API Gateway.

resource "oci_core_internet_gateway" "this" {
  count          = var.create_network && var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-igw"
  freeform_tags  = var.freeform_tags
}

resource "oci_core_route_table" "gateway" {
  count          = var.create_network && var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-public-rt"
  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_internet_gateway.this[0].id
  }
  freeform_tags = var.freeform_tags
}

resource "oci_core_security_list" "gateway" {
  count          = var.create_network && var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-public-sl"
  # HTTPS in from webhook_allowed_cidrs only: set it to Infisical's egress addresses (see README, "Deploy to OCI").
  dynamic "ingress_security_rules" {
    for_each = var.webhook_allowed_cidrs
    content {
      source   = ingress_security_rules.value
      protocol = "6"
      tcp_options {
        min = 443
        max = 443
      }
    }
  }
  egress_security_rules {
    destination = var.vcn_cidr
    protocol    = "6"
  }
  egress_security_rules {
    destination      = data.oci_core_services.all[0].services[0].cidr_block
    destination_type = "SERVICE_CIDR_BLOCK"
    protocol         = "6"
  }
  freeform_tags = var.freeform_tags
}

resource "oci_core_subnet" "gateway" {
  count             = var.create_network && var.enable_webhook ? 1 : 0
  compartment_id    = var.compartment_id
  vcn_id            = oci_core_vcn.this[0].id
  cidr_block        = cidrsubnet(var.vcn_cidr, 8, 2)
  display_name      = "${var.name_prefix}-gateway"
  dns_label         = "gw"
  route_table_id    = oci_core_route_table.gateway[0].id
  security_list_ids = [oci_core_security_list.gateway[0].id]
  freeform_tags     = var.freeform_tags
}
