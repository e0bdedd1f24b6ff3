/**
 * Service settings: ours under {@code ovs.*} ({@link ocivaultsync.settings.OvsSettings}) and the variables OCI
 * Functions sets under {@code fn.*} ({@link ocivaultsync.settings.FnPlatform}), each one {@code @ConfigMapping}; no
 * other class reads configuration. The shell converts them into plain records before they reach the packages that do
 * the work, so those stay testable without CDI.
 */
package ocivaultsync.settings;
