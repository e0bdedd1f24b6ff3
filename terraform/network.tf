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
  # HTTPS in from webhook_allowed_cidrs only: set it to Infisical's egress addresses (see README, "The webhook
  # gateway's cost bounds").
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

# The webhook gateway admits HTTPS from webhook_allowed_cidrs only, whichever subnet it runs in: a network security
# group on the gateway holds the rule (in the subnet the module creates, its security list holds it as well). Security
# lists and network security groups add up (a packet passes when any of them admits it), so a subnet brought along
# (gateway_subnet_id) must not admit HTTPS from elsewhere through its own security lists: the module reads them and
# refuses such a subnet (docs.oracle.com/iaas/Content/Network/Concepts/securityrules.htm).

data "oci_core_subnet" "gateway" {
  count     = var.enable_webhook && !var.create_network && var.gateway_subnet_id != null ? 1 : 0
  subnet_id = var.gateway_subnet_id
}

data "oci_core_security_lists" "gateway" {
  count          = length(data.oci_core_subnet.gateway)
  compartment_id = data.oci_core_subnet.gateway[0].compartment_id
  vcn_id         = data.oci_core_subnet.gateway[0].vcn_id
}

locals {
  gateway_vcn_id = var.create_network ? oci_core_vcn.this[0].id : try(data.oci_core_subnet.gateway[0].vcn_id, null)
  # Ingress rules of the brought subnet's security lists that admit TCP 443 from a source outside webhook_allowed_cidrs.
  gateway_subnet_open_to = distinct(flatten([
    for sl in try(data.oci_core_security_lists.gateway[0].security_lists, []) : [
      for r in sl.ingress_security_rules : r.source
      if contains(try(data.oci_core_subnet.gateway[0].security_list_ids, []), sl.id)
      && !contains(var.webhook_allowed_cidrs, r.source)
      && (r.protocol == "all" || r.protocol == "6" && try(r.tcp_options[0].min, 1) <= 443 && try(r.tcp_options[0].max, 65535) >= 443)
    ]
  ]))
}

resource "oci_core_network_security_group" "webhook_gateway" {
  count          = var.enable_webhook ? 1 : 0
  compartment_id = var.compartment_id
  vcn_id         = local.gateway_vcn_id
  display_name   = "${var.name_prefix}-webhook-gateway"
  freeform_tags  = var.freeform_tags
}

resource "oci_core_network_security_group_security_rule" "webhook_in" {
  for_each                  = var.enable_webhook ? toset(var.webhook_allowed_cidrs) : toset([])
  network_security_group_id = oci_core_network_security_group.webhook_gateway[0].id
  description               = "HTTPS from an allowed webhook source"
  direction                 = "INGRESS"
  protocol                  = "6"
  source                    = each.value
  source_type               = "CIDR_BLOCK"
  tcp_options {
    destination_port_range {
      min = 443
      max = 443
    }
  }
}

resource "oci_core_network_security_group_security_rule" "webhook_out" {
  count                     = var.enable_webhook ? 1 : 0
  network_security_group_id = oci_core_network_security_group.webhook_gateway[0].id
  description               = "HTTPS out: the gateway invokes the function through OCI's API"
  direction                 = "EGRESS"
  protocol                  = "6"
  destination               = "0.0.0.0/0"
  destination_type          = "CIDR_BLOCK"
  tcp_options {
    destination_port_range {
      min = 443
      max = 443
    }
  }
}
