package ocivaultsync.function;

/**
 * Who may call a function (README, "Who may call what"). Anything automatic (a schedule, an OCI event, a webhook, a
 * retry or a hand-off) comes through {@code event}, whose bodies can only ask for a pass toward the intent recorded in
 * OCI; what changes intent, widens a pass or shows secret names is for the operators alone.
 */
enum Access {

    /** Any caller IAM lets invoke the function: the call can only reconcile toward the intent already recorded. */
    ANY_CALLER,

    /** Only a principal listed in {@code ovs.operator-principal-ids} ({@link Operators}). */
    OPERATOR
}
