package ocivaultsync.report;

import com.fasterxml.jackson.annotation.JsonValue;

/** What started a run; the report's {@code trigger} field. */
public enum Trigger {
    MANUAL("manual"), SCHEDULE("schedule"), OCI_EVENT("oci-event"), INFISICAL_WEBHOOK("infisical-webhook"),
    RETRY("retry");

    private final String wire;

    Trigger(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /**
     * Whether only syncs with auto-sync on may run for it (F5): events and schedules. A retry continues a run that was
     * already allowed, so it runs whatever started that run.
     */
    public boolean isAutomatic() {
        return this == SCHEDULE || this == OCI_EVENT || this == INFISICAL_WEBHOOK;
    }
}
