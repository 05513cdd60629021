package io.jenkins.plugins.gerritml.core.gerrit;

import java.time.Instant;
import java.util.Objects;

/** A vote as Gerrit holds it on a patch set: who, which label, what value, when. The input of lineage. */
public final class Approval {
    private final GerritAccount account;
    private final String label;
    private final int value;
    private final Instant date;
    private final int patchSet;

    private Approval(final GerritAccount account, final String label, final int value, final Instant date,
            final int patchSet) {
        this.account = account;
        this.label = label;
        this.value = value;
        this.date = date;
        this.patchSet = patchSet;
    }

    public static Approval valueOf(final GerritAccount account, final String label, final int value,
            final Instant date, final int patchSet) {
        return new Approval(Objects.requireNonNull(account, "account"), Objects.requireNonNull(label, "label"), value,
                Objects.requireNonNull(date, "date"), patchSet);
    }

    public GerritAccount getAccount() {
        return account;
    }

    public String getLabel() {
        return label;
    }

    public int getValue() {
        return value;
    }

    public Instant getDate() {
        return date;
    }

    public int getPatchSet() {
        return patchSet;
    }

    /** The approval as plain values, as a step hands it to the script (username, name, email, label, value, ...). */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("username", account.getUsername());
        map.put("name", account.getName());
        map.put("email", account.getEmail());
        map.put("accountId", account.getAccountId());
        map.put("label", label);
        map.put("value", value);
        map.put("date", date.toString());
        map.put("patchSet", patchSet);
        return map;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Approval)) {
            return false;
        }
        Approval other = (Approval) o;
        return value == other.value && patchSet == other.patchSet && account.equals(other.account)
                && label.equals(other.label) && date.equals(other.date);
    }

    @Override
    public int hashCode() {
        return Objects.hash(account, label, value, date, patchSet);
    }

    @Override
    public String toString() {
        return account.getDisplayName() + " " + label + (value > 0 ? "+" : "") + value + " on patch set " + patchSet
                + " at " + date;
    }
}
