package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.Objects;

/** A message on a change as Gerrit lists it: its tag, its text and the patch set it was posted on. Immutable. */
public final class PostedMessage {
    private final String tag;
    private final String message;
    private final int patchSet;

    private PostedMessage(final String tag, final String message, final int patchSet) {
        this.tag = tag;
        this.message = message;
        this.patchSet = patchSet;
    }

    public static PostedMessage valueOf(final String tag, final String message, final int patchSet) {
        return new PostedMessage(tag == null ? "" : tag, message == null ? "" : message, patchSet);
    }

    public String getTag() {
        return tag;
    }

    /** Gerrit's text, e.g. {@code Patch Set 2: Verified+1\n\n<the review's message>}. */
    public String getMessage() {
        return message;
    }

    public int getPatchSet() {
        return patchSet;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PostedMessage)) {
            return false;
        }
        PostedMessage other = (PostedMessage) o;
        return patchSet == other.patchSet && tag.equals(other.tag) && message.equals(other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag, message, patchSet);
    }

    @Override
    public String toString() {
        return "PostedMessage[" + tag + " on patch set " + patchSet + "]";
    }
}
