package ocivaultsync.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundle;
import com.oracle.bmc.secrets.model.SecretBundleContentDetails;
import org.junit.jupiter.api.Test;

/**
 * The one bundle reader accepts BASE64 content only, and says why it refuses anything else without quoting it. The
 * bundles are the SDK's own model objects, as its JSON reader builds them (an unknown content type becomes the base
 * class); reading through the real client is covered by {@link OciAdapterTest}.
 */
class BundleReaderTest {

    static SecretBundle bundle(SecretBundleContentDetails content) {
        return SecretBundle.builder().secretId("ocid1.vaultsecret.oc1.eu-frankfurt-1.x").versionNumber(1L)
                .secretBundleContent(content).build();
    }

    @Test
    void base64ContentIsTheValue() {
        var content = Base64SecretBundleContentDetails.builder().content("aHVudGVyMg==").build();
        assertEquals("hunter2", BundleReader.content(bundle(content)).utf8());
    }

    @Test
    void anotherContentTypeIsRefusedByName() {
        var e = assertThrows(BundleReader.UnexpectedContentException.class,
                () -> BundleReader.content(bundle(new SecretBundleContentDetails() { })));
        assertEquals("the bundle content is not BASE64", e.getMessage());
    }

    @Test
    void aBundleWithoutContentIsRefused() {
        assertEquals("the bundle has no content (BASE64 expected)", assertThrows(
                BundleReader.UnexpectedContentException.class, () -> BundleReader.content(bundle(null))).getMessage());
        var empty = Base64SecretBundleContentDetails.builder().build();
        assertEquals("the bundle has no content (BASE64 expected)", assertThrows(
                BundleReader.UnexpectedContentException.class, () -> BundleReader.content(bundle(empty))).getMessage());
    }

    @Test
    void contentThatIsNotBase64IsRefusedWithoutQuotingIt() {
        var content = Base64SecretBundleContentDetails.builder().content("not*base64:hunter2").build();
        var e = assertThrows(BundleReader.UnexpectedContentException.class,
                () -> BundleReader.content(bundle(content)));
        assertEquals("the bundle content is not valid base64", e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
    }
}
