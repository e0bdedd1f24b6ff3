package ocivaultsync.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * What a secret the function cannot read says about itself: its message reaches reports and the INVALID_CONFIG
 * refusal, so anything the SDK throws beyond its own errors is named by its type only.
 */
class SecretResolverErrorsTest {

    static final String ID = "ocid1.vaultsecret.oc1.eu-frankfurt-1.abc";

    @Test
    void anUnexpectedExceptionIsNamedByItsTypeOnly() {
        var e = SecretResolver.unexpected(ID, new IllegalArgumentException("invalid header: Bearer canary-7f3a9c"));
        assertEquals("secret " + ID + " cannot be read: unexpected java.lang.IllegalArgumentException",
                e.getMessage());
    }

    @Test
    void theProductsOwnSetupErrorsKeepTheirWords() {
        var e = SecretResolver.unexpected(ID,
                new OciSetupException("ovs.oci.region: no region is known for this call"));
        assertEquals("secret " + ID + " cannot be read: ovs.oci.region: no region is known for this call",
                e.getMessage());
        var already = new SecretResolver.UnreadableSecretException("secret x cannot be read: OCI 404");
        assertSame(already, SecretResolver.unexpected(ID, already));
    }
}
