package ocivaultsync.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySchemaTest {

    @ParameterizedTest(name = "{0} renders {1}/{2} as {3}")
    @CsvSource({
        "{{secretKey}},                         DB_PASS, prod, DB_PASS",
        "app-{{secretKey}},                     DB_PASS, prod, app-DB_PASS",
        "{{secretKey}}.v1,                      DB_PASS, prod, DB_PASS.v1",
        "app_{{secretKey}}_x,                   DB_PASS, prod, app_DB_PASS_x",
        "{{environment}}-{{secretKey}},         DB_PASS, prod, prod-DB_PASS",
        "{{secretKey}}-{{environment}},         DB_PASS, prod, DB_PASS-prod",
        "a-{{environment}}-{{secretKey}}-z,     DB_PASS, dev,  a-dev-DB_PASS-z",
        "{{environment}}.{{secretKey}}.{{environment}}, K, qa, qa.K.qa",
    })
    void rendersMatchesAndReverses(String template, String key, String env, String name) {
        KeySchema schema = KeySchema.parse(template);
        assertEquals(name, schema.render(key, env));
        assertTrue(schema.matches(name, env));
        assertEquals(Optional.of(key), schema.reverse(name, env));
    }

    @ParameterizedTest(name = "{0} does not take {1} in {2}")
    @CsvSource({
        "app-{{secretKey}},                 other-DB_PASS,   prod",
        "app-{{secretKey}},                 app-,            prod",
        "{{secretKey}}.v1,                  DB_PASS.v2,      prod",
        "{{environment}}-{{secretKey}},     dev-DB_PASS,     prod",
        "{{environment}}-{{secretKey}},     prod-,           prod",
        "{{secretKey}}-{{environment}},     DB_PASS-prodx,   prod",
        "a-{{secretKey}}-z,                 a-z,             prod",
        "a-{{secretKey}}-z,                 a--z-,           prod",
    })
    void namesThatDoNotFitAreNotManaged(String template, String name, String env) {
        KeySchema schema = KeySchema.parse(template);
        assertFalse(schema.matches(name, env));
        assertEquals(Optional.empty(), schema.reverse(name, env));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{{secretKey}}-{{secretKey}}   | must contain {{secretKey}} exactly once",
        "app-{{environment}}           | must contain {{secretKey}} exactly once",
        "app-                          | must contain {{secretKey}} exactly once",
        "app/{{secretKey}}             | may only contain letters, digits, '-', '_' and '.' outside the placeholders {{secretKey}} and {{environment}} (OCI secret names allow nothing else)",
        "app {{secretKey}}             | may only contain letters, digits, '-', '_' and '.' outside the placeholders {{secretKey}} and {{environment}} (OCI secret names allow nothing else)",
        "{{secretKey}}{                | may only contain letters, digits, '-', '_' and '.' outside the placeholders {{secretKey}} and {{environment}} (OCI secret names allow nothing else)",
        "{{ secretKey }}               | unknown placeholder {{ secretKey }}; the placeholders are {{secretKey}} and {{environment}}",
        "{{project}}-{{secretKey}}     | unknown placeholder {{project}}; the placeholders are {{secretKey}} and {{environment}}",
    })
    void rejectsBadTemplates(String template, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> KeySchema.parse(template.strip()));
        assertEquals(message, e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void rejectsEmptyAndOverlongTemplates() {
        assertEquals("must not be empty; leave keySchema out to use source keys as names",
                assertThrows(IllegalArgumentException.class, () -> KeySchema.parse(" ")).getMessage());
        assertEquals("must be at most 255 characters", assertThrows(IllegalArgumentException.class,
                () -> KeySchema.parse("a".repeat(250) + "{{secretKey}}")).getMessage());
    }

    @org.junit.jupiter.api.Test
    void theKeyPartMayHoldTheLiteralsOfTheSchema() {
        KeySchema schema = KeySchema.parse("x-{{secretKey}}-x");
        assertEquals(Optional.of("a-x-b"), schema.reverse("x-a-x-b-x", "e"));
    }

    /** Issue 19, item 3: only a schema with nothing but the key, once the environment is filled in, fits every name. */
    @ParameterizedTest
    @CsvSource({"{{secretKey}}, prod, true", "{{environment}}{{secretKey}}, prod, false",
            "{{secretKey}}{{environment}}, prod, false", "a{{secretKey}}, prod, false", "{{secretKey}}.x, prod, false",
            "{{environment}}{{secretKey}}, '', true"})
    void onlyASchemaWithNoLiteralPartFitsEveryName(String template, String environment, boolean every) {
        KeySchema schema = KeySchema.parse(template);
        assertEquals(every, schema.fitsEveryName(environment));
        assertEquals(every, schema.matches("ANY_NAME", environment), "fits a name with no part of the schema");
    }
}
