package ocivaultsync.oci;

import com.oracle.bmc.ConfigFileReader;
import com.oracle.bmc.Region;
import com.oracle.bmc.auth.BasicAuthenticationDetailsProvider;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.auth.InstancePrincipalsAuthenticationDetailsProvider;
import com.oracle.bmc.auth.RegionProvider;
import com.oracle.bmc.auth.ResourcePrincipalAuthenticationDetailsProvider;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks and builds the authentication provider: resource principal inside OCI Functions, instance principal on an OCI
 * instance, or an API key (explicit settings, else a profile of the OCI CLI config file). {@code auto} chooses the
 * resource principal when OCI Functions set {@code OCI_RESOURCE_PRINCIPAL_VERSION}, else the config file.
 */
final class OciAuth {

    /** The provider and the region it knows of (if any). */
    public record Auth(BasicAuthenticationDetailsProvider provider, Optional<String> region, String mode) {
    }

    private static final Pattern MISSING = Pattern.compile("^Missing (user|tenancy|fingerprint|key_file) in config\\.");

    private OciAuth() {
    }

    public static Auth build(OciOptions o) {
        OciOptions.AuthMode mode = o.auth();
        if (mode == OciOptions.AuthMode.AUTO) {
            mode = o.resourcePrincipalVersion().isPresent() ? OciOptions.AuthMode.RESOURCE_PRINCIPAL
                    : OciOptions.AuthMode.API_KEY;
        }
        try {
            return switch (mode) {
                case RESOURCE_PRINCIPAL -> {
                    var p = ResourcePrincipalAuthenticationDetailsProvider.builder().build();
                    yield new Auth(p, regionOf(p), "resource-principal");
                }
                case INSTANCE_PRINCIPAL -> {
                    var p = InstancePrincipalsAuthenticationDetailsProvider.builder().build();
                    yield new Auth(p, regionOf(p), "instance-principal");
                }
                default -> apiKey(o);
            };
        } catch (OciSetupException e) {
            throw e;
        } catch (RuntimeException e) {
            // Only the exception type: the providers' messages can quote token or key material.
            throw new OciSetupException("ovs.oci.auth: the " + mode.name().toLowerCase().replace('_', '-')
                    + " provider could not be built (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Auth apiKey(OciOptions o) {
        OciOptions.ApiKey k = o.apiKey();
        if (k.tenancyId().isPresent()) {
            String tenancy = k.tenancyId().get();
            String user = k.userId().orElseThrow(() -> new OciSetupException(
                    "ovs.oci.api-key.user-id: is required with ovs.oci.api-key.tenancy-id"));
            Path keyFile = Path.of(expand(k.privateKeyFile().orElseThrow(() -> new OciSetupException(
                    "ovs.oci.api-key.private-key-file: is required with ovs.oci.api-key.tenancy-id"))));
            byte[] pem;
            try {
                pem = Files.readAllBytes(keyFile);
            } catch (NoSuchFileException e) {
                throw new OciSetupException("ovs.oci.api-key.private-key-file: " + keyFile + " does not exist");
            } catch (IOException e) {
                throw new OciSetupException("ovs.oci.api-key.private-key-file: " + keyFile + " cannot be read");
            }
            String fingerprint = k.fingerprint().orElseGet(() -> fingerprintOf(pem));
            var b = SimpleAuthenticationDetailsProvider.builder().tenantId(tenancy).userId(user)
                    .fingerprint(fingerprint).privateKeySupplier(() -> new ByteArrayInputStream(pem));
            k.passphrase().ifPresent(b::passPhrase);
            k.region().ifPresent(r -> b.region(Region.fromRegionCodeOrId(r)));
            return new Auth(b.build(), k.region(), "api-key");
        }
        String file = expand(o.configFile());
        try {
            var config = ConfigFileReader.parse(file, o.profile());
            var p = new ConfigFileAuthenticationDetailsProvider(config);
            return new Auth(p, regionOf(p), "api-key (" + file + " [" + o.profile() + "])");
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new OciSetupException("ovs.oci.config-file: " + file + " does not exist; set ovs.oci.auth or the "
                    + "api-key settings");
        } catch (IOException | RuntimeException e) {
            throw new OciSetupException("ovs.oci.config-file: profile " + o.profile() + " of " + file
                    + " cannot be used: " + configFileProblem(e));
        }
    }

    private static Optional<String> regionOf(Object p) {
        if (p instanceof RegionProvider rp && rp.getRegion() != null) {
            return Optional.of(rp.getRegion().getRegionId());
        }
        return Optional.empty();
    }

    /** The OCI fingerprint of an unencrypted PKCS#8 RSA key: MD5 of the public key's DER, colon-separated hex. */
    static String fingerprintOf(byte[] pem) {
        String text = new String(pem, java.nio.charset.StandardCharsets.US_ASCII);
        if (!text.contains("BEGIN PRIVATE KEY")) {
            throw new OciSetupException("ovs.oci.api-key.fingerprint: is required for this key format (only an "
                    + "unencrypted PKCS#8 key lets it be derived)");
        }
        try {
            String b64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            var priv = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            PublicKey pub = rsa.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            String hex = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("MD5").digest(pub.getEncoded()));
            return hex;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new OciSetupException("ovs.oci.api-key.private-key-file: is not an RSA private key in PKCS#8 PEM");
        }
    }

    static String expand(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /**
     * What is wrong with the OCI config file, without a word of the file: the SDK's parser quotes the offending line
     * ("Found line with no key-value pair: ..."), and a line can hold a pass phrase. Only messages known to carry no
     * file content are passed on; anything else is named by its type.
     */
    static String configFileProblem(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.startsWith("Found line with no key")) {
            return "a line is not a key=value pair (the line is not repeated here)";
        }
        if (m.startsWith("No profile named")) {
            return "the profile does not exist";
        }
        if (m.startsWith("No DEFAULT profile")) {
            return "the file has no DEFAULT profile";
        }
        Matcher missing = MISSING.matcher(m);
        if (missing.find()) {
            return "the profile has no " + missing.group(1);
        }
        return e.getClass().getSimpleName();
    }
}
