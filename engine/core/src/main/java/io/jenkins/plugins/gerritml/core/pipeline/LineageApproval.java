package io.jenkins.plugins.gerritml.core.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A vote that passed the approval gate: who, which label, what value, when, on which patch set. */
public final class LineageApproval {
    private final LineageAccount account;
    private final String label;
    private final int value;
    private final Instant date;
    private final int patchSet;

    private LineageApproval(final LineageAccount account, final String label, final int value, final Instant date,
            final int patchSet) {
        this.account = account;
        this.label = label;
        this.value = value;
        this.date = date;
        this.patchSet = patchSet;
    }

    public static LineageApproval valueOf(final LineageAccount account, final String label, final int value,
            final Instant date, final int patchSet) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("an approval needs a label, e.g. Code-Review");
        }
        return new LineageApproval(Objects.requireNonNull(account, "account"), label, value,
                Objects.requireNonNull(date, "date"), patchSet);
    }

    public LineageAccount getAccount() {
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

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("account", account.toJson());
        json.put("label", label);
        json.put("value", value);
        json.put("date", date.toString());
        json.put("patchSet", patchSet);
        return json;
    }

    static LineageApproval fromJson(final Object value, final String path) {
        Map<?, ?> json = JsonFields.object(value, path);
        return valueOf(LineageAccount.fromJson(json.get("account"), path + "/account"),
                JsonFields.requiredString(json, "label", path), JsonFields.integer(json, "value", path),
                JsonFields.instant(json.get("date"), path + "/date"), JsonFields.integer(json, "patchSet", path));
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LineageApproval)) {
            return false;
        }
        LineageApproval other = (LineageApproval) o;
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
