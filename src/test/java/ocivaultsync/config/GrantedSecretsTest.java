package ocivaultsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A configuration that references a secret the function's policy does not grant is refused when it loads, naming the
 * field and the setting that says what is granted (ovs.granted-secret-ids, set by the Terraform module).
 */
class GrantedSecretsTest {

    static final String FP = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaafp";
    static final String CLIENT = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaacs";
    static final String HOOK = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaawh";
    static final Set<String> ALL = Set.of(FP, CLIENT, HOOK);

    static String config(String fingerprint, String client, String hook) {
        return """
                fingerprintKey: {secretId: %s}
                syncs:
                  - name: app-prod
                    source:
                      type: infisical
                      projectId: 6f1c2d3e-0000-4000-8000-000000000001
                      environment: prod
                      auth: {clientId: machine-id, clientSecret: {secretId: %s}}
                      webhookSigningKey: {secretId: %s}
                    destination:
                      region: eu-frankfurt-1
                      compartmentId: ocid1.compartment.oc1..aaaaaaaacomp
                      vaultId: ocid1.vault.oc1.eu-frankfurt-1.bbbbvault
                      keyId: ocid1.key.oc1.eu-frankfurt-1.bbbbkey
                    options: {keySchema: "app-{{secretKey}}"}
                """.formatted(fingerprint, client, hook);
    }

    @Test
    void everyReferenceGrantedLoads() {
        SyncConfig c = new ConfigParser(false, Optional.of(ALL)).parse(config(FP, CLIENT, HOOK));
        assertEquals(Set.of(FP, CLIENT, HOOK), c.referencedSecretIds());
    }

    @Test
    void aClientSecretTheFunctionMayNotReadIsRefusedNamingTheFieldAndTheSetting() {
        String other = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaaother";
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigParser(false, Optional.of(ALL)).parse(config(FP, other, HOOK)));
        assertEquals(List.of("syncs[0].source.auth.clientSecret.secretId: " + other + " is not a secret the function "
                + "may read: ovs.granted-secret-ids (OVS_GRANTED_SECRET_IDS), which the Terraform module sets to the "
                + "secrets its policy grants, does not list it (add it to the module's infisical_client_secret_ids)"),
                e.errors());
    }

    @Test
    void everyUngrantedReferenceIsNamedInDocumentOrder() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigParser(false, Optional.of(Set.of(CLIENT))).parse(config(FP, CLIENT, HOOK)));
        assertEquals(List.of("fingerprintKey.secretId: " + FP + " is not a secret the function may read: "
                        + "ovs.granted-secret-ids (OVS_GRANTED_SECRET_IDS), which the Terraform module sets to the "
                        + "secrets its policy grants, does not list it (give it to the module as "
                        + "fingerprint_key_secret_id)",
                "syncs[0].source.webhookSigningKey.secretId: " + HOOK + " is not a secret the function may read: "
                        + "ovs.granted-secret-ids (OVS_GRANTED_SECRET_IDS), which the Terraform module sets to the "
                        + "secrets its policy grants, does not list it (add it to the module's "
                        + "webhook_key_secret_ids)"), e.errors());
    }

    @Test
    void withoutTheSettingNothingIsChecked() {
        new ConfigParser(false, Optional.empty()).parse(config(FP, "ocid1.vaultsecret.oc1.eu-frankfurt-1.x", HOOK));
        new ConfigParser(false).parse(config(FP, "ocid1.vaultsecret.oc1.eu-frankfurt-1.x", HOOK));
    }
}
