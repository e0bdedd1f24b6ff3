package ocivaultsync.emulator;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Throwaway API signing keys for local runs and tests: an RSA pair in the PEM forms OCI tooling reads. */
public final class ApiKeys {

    /** A key pair with its PEMs and OCI fingerprint. */
    public record ApiKey(String privateKeyPem, String publicKeyPem, String fingerprint) {
        /** {@code <tenancy>/<user>/<fingerprint>}: the key id OCI signatures carry. */
        public String keyId(String tenancy, String user) {
            return tenancy + "/" + user + "/" + fingerprint;
        }

        @Override
        public String toString() {
            return "ApiKey[" + fingerprint + "]";
        }
    }

    private ApiKeys() {
    }

    public static ApiKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair pair = g.generateKeyPair();
            return new ApiKey(pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    pem("PUBLIC KEY", pair.getPublic().getEncoded()), RequestSigner.fingerprint(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is unavailable", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
