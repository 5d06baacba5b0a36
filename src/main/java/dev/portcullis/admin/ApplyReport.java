package dev.portcullis.admin;

import dev.portcullis.admin.ApplyChange.Action;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entries of one apply, in the order the applier met the objects. The appliers describe each
 * object from the stored state they read before writing, then write; {@link #record} checks the
 * repository's own "changed" answer against that description, so what a dry run prints is what
 * the same code writes (a disagreement aborts the apply instead of misreporting it).
 */
final class ApplyReport {

    private final List<ApplyChange> entries = new ArrayList<>();

    /** Compares one stored value with the file's, adding the file key to {@code fields} when they differ. */
    static void compare(List<String> fields, String key, Object stored, Object wanted) {
        if (!Objects.equals(stored, wanted)) {
            fields.add(key);
        }
    }

    /**
     * Records an object the file names: created when it was not stored, else changed in
     * {@code fields} or unchanged. {@code written} is what the repositories reported.
     */
    void record(String tenant, String object, boolean existed, List<String> fields, boolean written) {
        boolean differs = !existed || !fields.isEmpty();
        if (differs != written) {
            throw new IllegalStateException("applying " + object + " of tenant " + tenant + ": the repository "
                    + (written ? "wrote" : "did not write") + " but the comparison found " + (existed ? fields : "a new object"));
        }
        add(tenant, object, !existed ? Action.CREATED : fields.isEmpty() ? Action.UNCHANGED : Action.CHANGED,
                existed ? fields : List.of(), "");
    }

    void add(String tenant, String object, Action action, List<String> fields, String note) {
        entries.add(new ApplyChange(tenant, object, action, fields, note));
    }

    int changes() {
        return (int) entries.stream().filter(ApplyChange::isChange).count();
    }

    List<ApplyChange> entries() {
        return List.copyOf(entries);
    }

    /** The entries grouped under their tenant, two spaces in; with {@code withUnchanged} false only what changed. */
    static List<String> lines(List<ApplyChange> entries, boolean withUnchanged) {
        List<String> lines = new ArrayList<>();
        String tenant = null;
        for (ApplyChange entry : entries) {
            if (!withUnchanged && entry.action() == Action.UNCHANGED) {
                continue;
            }
            if (!entry.tenant().equals(tenant)) {
                tenant = entry.tenant();
                lines.add("tenant " + tenant);
            }
            lines.add("  " + entry.describe());
        }
        return lines;
    }
}
