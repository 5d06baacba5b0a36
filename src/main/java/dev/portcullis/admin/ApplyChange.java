package dev.portcullis.admin;

import java.util.List;

/**
 * One object of a tenants file as applying it found or left it: what it is ({@code object}, e.g.
 * "user u1" or "client web-1 secret primary"), what happened, and which of its file keys differed.
 * Secret and password values never appear here, only that they changed.
 */
public record ApplyChange(String tenant, String object, Action action, List<String> fields, String note) {

    public enum Action {
        CREATED, CHANGED, UNCHANGED, DISABLED, REMOVED,
        /** Not in the file, yet left in place by {@code --prune} for the reason in the note. */
        KEPT;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ApplyChange {
        fields = List.copyOf(fields);
        note = note == null ? "" : note;
    }

    /** Whether the database differs because of this entry; unchanged and kept objects do not count. */
    public boolean isChange() {
        return action != Action.UNCHANGED && action != Action.KEPT;
    }

    /** The entry as the apply command prints it, e.g. {@code client web-1: changed (scopes, redirect_uris)}. */
    public String describe() {
        StringBuilder line = new StringBuilder(object).append(": ").append(action.label());
        if (!fields.isEmpty()) {
            line.append(" (").append(String.join(", ", fields)).append(')');
        }
        if (!note.isEmpty()) {
            line.append(" - ").append(note);
        }
        return line.toString();
    }
}
