package ocivaultsync.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.funqy.Funq;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import ocivaultsync.trigger.CallContext;
import ocivaultsync.trigger.RequestException;
import org.junit.jupiter.api.Test;

/**
 * Who may call what (issue 19, item 1): the table per function, and the operator setting read as the operator wrote
 * it. The refusals themselves, end to end with nothing read or written, are in BadInputCatalogueTest and, over the Fn
 * socket, FnContractTest.
 */
class OperatorsTest {

    static final String ALICE = "ocid1.user.oc1..aaaaalice";
    static final String BOB = "ocid1.user.oc1..aaaabob";

    static CallContext from(String... subjects) {
        return new CallContext(new byte[0], name -> name.equals("oci-subject-id") ? List.of(subjects) : List.of(),
                Optional.empty(), "c", false);
    }

    static String refusal(Operators ops, String function, CallContext ctx) {
        RequestException e = assertThrows(RequestException.class, () -> ops.authorize(function, ctx));
        return e.status() + " " + e.code() + ": " + e.getMessage();
    }

    @Test
    void aListedUserIsLetThroughAndNoOneElse() {
        Operators ops = Operators.of(List.of(" " + ALICE + " ", "", BOB));
        ops.authorize("remove", from(ALICE));
        ops.authorize("sync", from(BOB));
        String who = "403 NOT_AUTHORIZED: remove is for the operators listed in ovs.operator-principal-ids "
                + "(OVS_OPERATOR_PRINCIPAL_IDS), and ";
        assertEquals(who + "the caller ocid1.user.oc1..aaaacarol is not one of them", refusal(ops, "remove",
                from("ocid1.user.oc1..aaaacarol")));
        assertEquals(who + "the call carries no oci-subject-id header (the caller OCI Functions names)",
                refusal(ops, "remove", from()));
        assertEquals(who + "the call carries the oci-subject-id header 2 times; a caller named more than once is not "
                + "known", refusal(ops, "remove", from(ALICE, ALICE)));
        assertEquals(who + "the call's oci-subject-id header is empty", refusal(ops, "remove", from("")));
        assertEquals(who + "the caller is not one of them", refusal(ops, "remove", from("<script>" + ALICE)),
                "what is not shaped like an OCID is not echoed");
        assertEquals(who + "the caller is not one of them", refusal(ops, "remove", from("ocid1." + "a".repeat(300))),
                "nor is anything longer than an OCID");
    }

    @Test
    void nobodyListedRefusesEveryoneNamingTheSetting() {
        for (Operators ops : List.of(Operators.none(), Operators.of(List.of()), Operators.of(List.of(" ")))) {
            assertFalse(ops.any());
            assertEquals("403 NOT_AUTHORIZED: plan is for operators, and ovs.operator-principal-ids "
                    + "(OVS_OPERATOR_PRINCIPAL_IDS) lists none; the operator sets it to the OCIDs of the users who may "
                    + "call sync, plan, import and remove", refusal(ops, "plan", from(ALICE)));
        }
    }

    /** Only users are evidenced as manual callers (docs/ASSUMPTIONS.md, "Who calls"): any other entry stops start-up. */
    @Test
    void anEntryThatIsNotAUserOcidIsRefusedNamingTheSetting() {
        for (Map.Entry<String, String> e : Map.of(
                "ocid1.instance.oc1.eu-frankfurt-1.aaaa", "ocid1.instance.oc1.eu-frankfurt-1.aaaa",
                "ocid1.dynamicgroup.oc1..aaaa", "ocid1.dynamicgroup.oc1..aaaa",
                "ocid1.fnfunc.oc1.eu-frankfurt-1.aaaa", "ocid1.fnfunc.oc1.eu-frankfurt-1.aaaa",
                "alice@example.com", "entry 2").entrySet()) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> Operators.of(List.of(ALICE, e.getKey())));
            assertEquals("ovs.operator-principal-ids (OVS_OPERATOR_PRINCIPAL_IDS): " + e.getValue() + " is not a user "
                    + "OCID (ocid1.user.<realm>..<id>); only users may be operators, the one kind of caller whose "
                    + "identity OCI is known to pass to a function (docs/ASSUMPTIONS.md, \"Who calls\")",
                    x.getMessage());
        }
    }

    /** The table names every function the HTTP transport serves, and only event is open to automatic callers. */
    @Test
    void everyFunctionHasOneAccessRuleAndOnlyEventIsForAutomaticCallers() {
        Set<String> funqy = Arrays.stream(FunqyEndpoints.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Funq.class)).map(OperatorsTest::funqName)
                .collect(Collectors.toSet());
        assertEquals(funqy, FunctionCalls.ACCESS.keySet());
        assertEquals(FunctionCalls.ACCESS.keySet(), FunctionCalls.NAMES);
        assertEquals(Set.of("event", "status"), FunctionCalls.ACCESS.entrySet().stream()
                .filter(e -> e.getValue() == Access.ANY_CALLER).map(Map.Entry::getKey).collect(Collectors.toSet()));
        assertTrue(FunctionCalls.ACCESS.keySet().containsAll(Set.of("sync", "plan", "import", "remove")));
    }

    static String funqName(Method m) {
        String v = m.getAnnotation(Funq.class).value();
        return v.isEmpty() ? m.getName() : v;
    }
}
