/**
 * Service settings (Quarkus configuration under {@code ovs.*}), as one {@code @ConfigMapping}. The shell converts
 * them into plain records before they reach the packages that do the work, so those stay testable without CDI.
 */
package ocivaultsync.settings;
