/**
 * Service settings: ours under {@code ovs.*} ({@link ocivaultsync.settings.OvsSettings}) and the variables OCI
 * Functions sets under {@code fn.*} ({@link ocivaultsync.settings.FnPlatform}), each one {@code @ConfigMapping}; no
 * other class reads configuration. {@link ocivaultsync.settings.EnvironmentSettings} stops the start-up on an
 * {@code OVS_*} environment variable that names no setting. The shell converts the settings into plain records
 * before they reach the packages that do the work, so those stay testable without CDI.
 */
package ocivaultsync.settings;
