package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.List;

/**
 * What a {@link ReviewOutbox} needs from Gerrit: post a review, and list a change's messages to see whether a post
 * whose reply was lost landed after all.
 */
public interface OutboxGerrit {
    /**
     * Posts {@code review} on the patch set {@code change} names.
     *
     * @throws GerritRestException when Gerrit refuses it or cannot be reached
     */
    void post(GerritChange change, Review review);

    /** The change's messages, oldest first. */
    List<PostedMessage> messages(String restId);

    /** Straight through {@code client}. */
    static OutboxGerrit of(final GerritRestClient client) {
        return of(client, client::postReview);
    }

    /** Posts through {@code poster} (e.g. an audited client), reads messages through {@code client}. */
    static OutboxGerrit of(final GerritRestClient client, final Poster poster) {
        return new OutboxGerrit() {
            @Override
            public void post(final GerritChange change, final Review review) {
                poster.post(change, review);
            }

            @Override
            public List<PostedMessage> messages(final String restId) {
                return client.getMessages(restId);
            }
        };
    }

    /** A way to post a review, e.g. {@code auditedGerrit::postReview}. */
    @FunctionalInterface
    interface Poster {
        Object post(GerritChange change, Review review);
    }
}
