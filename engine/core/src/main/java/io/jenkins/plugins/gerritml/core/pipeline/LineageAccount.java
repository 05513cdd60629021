package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A Gerrit account as lineage records it: numeric id (0 when unknown), username, full name, email. */
public final class LineageAccount {
    private static final LineageAccount UNKNOWN = new LineageAccount(0, "", "", "");

    private final int accountId;
    private final String username;
    private final String name;
    private final String email;

    private LineageAccount(final int accountId, final String username, final String name, final String email) {
        this.accountId = accountId;
        this.username = username;
        this.name = name;
        this.email = email;
    }

    public static LineageAccount valueOf(final int accountId, final String username, final String name,
            final String email) {
        if (accountId <= 0 && empty(username) && empty(name) && empty(email)) {
            return UNKNOWN;
        }
        return new LineageAccount(Math.max(0, accountId), clean(username), clean(name), clean(email));
    }

    /** The null object: nobody known. */
    public static LineageAccount unknown() {
        return UNKNOWN;
    }

    public int getAccountId() {
        return accountId;
    }

    public String getUsername() {
        return username;
    }

    public String getName() {
        return name;
    }

    public String getEmail() {
        return email;
    }

    /** Username, else name, else email, else the id. */
    public String getDisplayName() {
        if (!username.isEmpty()) {
            return username;
        }
        if (!name.isEmpty()) {
            return name;
        }
        if (!email.isEmpty()) {
            return email;
        }
        return accountId > 0 ? "account " + accountId : "unknown";
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", accountId);
        json.put("username", username);
        json.put("name", name);
        json.put("email", email);
        return json;
    }

    static LineageAccount fromJson(final Object value, final String path) {
        Map<?, ?> json = JsonFields.object(value, path);
        return valueOf(JsonFields.integer(json, "id", path), JsonFields.string(json, "username", path),
                JsonFields.string(json, "name", path), JsonFields.string(json, "email", path));
    }

    private static boolean empty(final String text) {
        return text == null || text.isBlank();
    }

    private static String clean(final String text) {
        return text == null ? "" : text.trim();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LineageAccount)) {
            return false;
        }
        LineageAccount other = (LineageAccount) o;
        return accountId == other.accountId && username.equals(other.username) && name.equals(other.name)
                && email.equals(other.email);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accountId, username, name, email);
    }

    @Override
    public String toString() {
        return getDisplayName();
    }
}
