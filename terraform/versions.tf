terraform {
  required_version = ">= 1.5.0"

  required_providers {
    oci = {
      source = "oracle/oci"
      # 6.1.0 brought the Resource Scheduler, 7.21.0 detached-mode timeouts, 8.22.0 events condition_details:
      # the newest of the features used here sets the floor.
      version = ">= 8.22.0"
    }
  }
}
