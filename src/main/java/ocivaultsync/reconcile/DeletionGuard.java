package ocivaultsync.reconcile;

/**
 * The blast-radius guard (F14): deletions are withheld when they exceed {@code maxPercent} of the managed set
 * <em>and</em> number more than {@code minCount}, or whenever the source came back with nothing.
 */
public record DeletionGuard(int maxPercent, int minCount) {

    public static final DeletionGuard DEFAULT = new DeletionGuard(50, 3);

    public DeletionGuard {
        if (maxPercent < 0 || maxPercent > 100 || minCount < 0) {
            throw new IllegalArgumentException("maxPercent must be 0..100 and minCount 0 or more");
        }
    }

    /** Whether {@code deletions} out of a managed set of {@code managed} secrets trips the guard. */
    public boolean trips(int deletions, int managed) {
        return deletions > minCount && (long) deletions * 100 > (long) maxPercent * managed;
    }
}
