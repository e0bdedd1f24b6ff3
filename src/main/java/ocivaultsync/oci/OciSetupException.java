package ocivaultsync.oci;

/** OCI access is misconfigured (auth mode, key file, region); the message names the setting. */
public class OciSetupException extends RuntimeException {

    OciSetupException(String message) {
        super(message, null, false, false);
    }
}
