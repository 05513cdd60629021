package io.jenkins.plugins.gerritml.core.cli;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.engine.AuditedGerrit;
import io.jenkins.plugins.gerritml.core.gerrit.ChangeEvent;
import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import io.jenkins.plugins.gerritml.core.gerrit.StopAuthority;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.ReviewFollower;
import io.jenkins.plugins.gerritml.core.gerrit.RunningJob;
import io.jenkins.plugins.gerritml.core.gerrit.SupersedeListener;
import io.jenkins.plugins.gerritml.core.util.Secret;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --follow-review} of {@code prefect-run} and {@code sagemaker-train}: the job is stopped, and nothing is
 * voted, when its patch set is superseded or its change abandoned while it runs. Events come from Gerrit's
 * {@code stream-events} over SSH; the neutral message goes on the old patch set through the command's audited Gerrit
 * client. The SSH settings are checked before any remote call and the stream is connected before the job is started.
 */
final class FollowedReview implements AutoCloseable {
    static final Set<String> VALUE_OPTIONS = Set.of("ssh-address", "ssh-user", "ssh-key", "ssh-known-hosts",
            "stop-groups");
    static final Set<String> FLAGS = Set.of("follow-review", "keep-on-trivial-rebase");
    /** Holds the SSH key's passphrase, if the key has one. */
    static final String PASSPHRASE_VARIABLE = "GERRIT_SSH_KEY_PASSPHRASE";
    private static final int GERRIT_SSH_PORT = 29418;

    @CheckForNull private final ReviewFollower follower;
    @CheckForNull private SupersedeListener.Registration registration;

    private FollowedReview(@CheckForNull final ReviewFollower follower) {
        this.follower = follower;
    }

    /**
     * The SSH settings of {@code --follow-review}, or empty without it. Reads only options and environment.
     *
     * @throws CliArguments.UsageException naming what to set
     */
    static Optional<ReviewFollower.Ssh> settings(final GerritMl cli, final CliArguments args, final String command) {
        if (!args.flag("follow-review")) {
            for (String option : VALUE_OPTIONS) {
                if (!args.get(option, "").isEmpty()) {
                    throw new CliArguments.UsageException("--" + option + " is used only with --follow-review");
                }
            }
            if (args.flag("keep-on-trivial-rebase")) {
                throw new CliArguments.UsageException("--keep-on-trivial-rebase is used only with --follow-review");
            }
            return Optional.empty();
        }
        if (args.flag("no-review")) {
            throw new CliArguments.UsageException("--follow-review leaves a message on the superseded patch set, so "
                    + "it cannot be combined with --no-review");
        }
        Map<String, String> env = cli.env();
        GerritChange change = GerritChangeFactory.fromParameters(env);
        String address = args.get("ssh-address", "");
        String host;
        int port;
        if (!address.isBlank()) {
            int colon = address.lastIndexOf(':');
            host = colon < 0 ? address.trim() : address.substring(0, colon).trim();
            port = colon < 0 ? GERRIT_SSH_PORT : port(address.substring(colon + 1));
        } else if (!change.getHost().isBlank()) {
            host = change.getHost();
            port = change.getPort() > 0 ? change.getPort() : GERRIT_SSH_PORT;
        } else {
            host = urlHost(env.getOrDefault("GERRIT_URL", ""));
            port = GERRIT_SSH_PORT;
        }
        if (host.isBlank()) {
            throw new CliArguments.UsageException("'" + command + " --follow-review' needs Gerrit's SSH address: "
                    + "--ssh-address host:port, or GERRIT_HOST and GERRIT_PORT as Gerrit Trigger sets them");
        }
        String user = args.get("ssh-user", env.getOrDefault("GERRIT_SSH_USER", env.getOrDefault("GERRIT_USER", "")));
        String key = args.get("ssh-key", env.getOrDefault("GERRIT_SSH_KEY_FILE", ""));
        if (key.isBlank()) {
            throw new CliArguments.UsageException("'" + command + " --follow-review' needs the SSH private key of "
                    + "the account that streams Gerrit's events: --ssh-key FILE or GERRIT_SSH_KEY_FILE");
        }
        String home = env.getOrDefault("HOME", "");
        String knownHosts = args.get("ssh-known-hosts", env.getOrDefault("GERRIT_SSH_KNOWN_HOSTS",
                home.isBlank() ? "" : home + "/.ssh/known_hosts"));
        String passphrase = env.getOrDefault(PASSPHRASE_VARIABLE, "");
        cli.addSecret(passphrase);
        try {
            return Optional.of(ReviewFollower.Ssh.of(host, port, user, Path.of(key.trim()), Secret.of(passphrase),
                    knownHosts.isBlank() ? null : Path.of(knownHosts.trim())));
        } catch (IllegalArgumentException e) {
            throw new CliArguments.UsageException(e.getMessage() + "\n(options --ssh-address, --ssh-user, "
                    + "--ssh-key, --ssh-known-hosts; or GERRIT_HOST/GERRIT_PORT, GERRIT_SSH_USER, GERRIT_SSH_KEY_FILE, "
                    + "GERRIT_SSH_KNOWN_HOSTS)");
        }
    }

    /** Following when {@code ssh} is there (see {@link #connect}), else nothing: {@link #follow} does nothing. */
    static FollowedReview open(final GerritMl cli, final Optional<ReviewFollower.Ssh> ssh, final CliArguments args,
            final GerritRestClient client, final AuditedGerrit gerrit) {
        return ssh.isPresent() ? connect(cli, ssh.get(), args, client, gerrit) : new FollowedReview(null);
    }

    /**
     * Connects to {@code stream-events}; a wrong key, host key or address fails here, before any job exists.
     *
     * @throws io.jenkins.plugins.gerritml.core.gerrit.GerritRestException when Gerrit's SSH cannot be reached or
     *         refuses the key
     */
    private static FollowedReview connect(final GerritMl cli, final ReviewFollower.Ssh ssh, final CliArguments args,
            final GerritRestClient client, final AuditedGerrit gerrit) {
        List<String> stopGroups = stopGroups(args, client);
        SupersedeListener listener = new SupersedeListener(args.flag("keep-on-trivial-rebase"), gerrit::postReview,
                cli.clock(), line -> cli.out().println(cli.mask(line)));
        listener.allowStops(StopAuthority.changeOwnerOr(stopGroups, client::getGroupMembers));
        ReviewFollower follower = ReviewFollower.connect(ssh, listener, client, ReviewFollower.RECONNECT,
                line -> cli.err().println("gerrit-ml: " + cli.mask(line)));
        cli.out().println("Following the review over Gerrit's stream-events as " + ssh + ": a new patch set or an "
                + "abandon stops the job" + (args.flag("keep-on-trivial-rebase") ? " (not a trivial rebase)" : ""));
        return new FollowedReview(follower);
    }

    /**
     * The groups of {@code --stop-groups} (comma-separated) whose members may stop the job from the review besides
     * the change owner; each is read once now, so a misspelt group fails before any job exists.
     */
    private static List<String> stopGroups(final CliArguments args, final GerritRestClient client) {
        List<String> groups = StopAuthority.groupNames(args.get("stop-groups", ""));
        for (String group : groups) {
            try {
                client.getGroupMembers(group);
            } catch (GerritRestException e) {
                if (e.getKind() == GerritRestException.Kind.NOT_FOUND) {
                    throw new CliArguments.UsageException("--stop-groups: group '" + group + "' does not "
                            + "exist in Gerrit (or the CI account cannot see it): check the spelling; Gerrit group "
                            + "names are case-sensitive");
                }
                throw e;
            }
        }
        return groups;
    }

    /**
     * Tells the review, silently, that the job runs (its RUNNING check for the Checks tab). A failure is said on
     * stderr and the job goes on: its result is still reported.
     */
    static void announce(final GerritMl cli, final GerritRestClient client, final AuditedGerrit gerrit,
            final GerritChange change, final Review started) {
        try {
            if (started.getCheck().isPresent() && CheckBlock.announced(client.getMessages(change.getRestId()),
                    started.getCheck().get().getId())) {
                return; // re-attached after a kill: the review heard of the job the first time
            }
            gerrit.postReview(change, started);
        } catch (RuntimeException e) {
            cli.err().println("gerrit-ml: could not tell the review that the job started: "
                    + cli.mask(String.valueOf(e.getMessage())));
        }
    }

    /** Whether a review follower watches the job: then a new patch set, an abandon or a Stop comment stops it. */
    boolean isFollowing() {
        return follower != null;
    }

    /** Starts watching the job, which may be stopped at once if its patch set is already superseded. */
    void follow(final RunningJob job, final SupersedeListener.JobStop stop) {
        if (follower != null) {
            registration = follower.follow(job, stop);
        }
    }

    /** The stop this made of the job, if it stopped it: the job's result is then not voted. */
    Optional<SupersedeListener.Stop> superseded() {
        SupersedeListener.Registration current = registration;
        return current == null ? Optional.empty() : current.getStop().filter(SupersedeListener.Stop::isStopped);
    }

    /**
     * When this stopped the job: records it in {@code json}, says so, and returns true; the command then ends with
     * {@link GerritMl#SUPERSEDED} and votes nothing.
     */
    boolean reportSuperseded(final GerritMl cli, final CliResult json) {
        Optional<SupersedeListener.Stop> stop = superseded();
        if (stop.isEmpty()) {
            return false;
        }
        json.put("superseded", describe(stop.get()));
        cli.out().println(stop.get().getEvent().getType() == ChangeEvent.Type.STOP_REQUESTED
                ? "Stopped on request from the review; nothing was voted."
                : "Stopped because the review moved on; nothing was voted.");
        return true;
    }

    private static Map<String, Object> describe(final SupersedeListener.Stop stop) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("event", stop.getEvent().getType().name());
        json.put("patchSet", stop.getEvent().getPatchSet());
        json.put("stoppedAt", stop.getAt().toString());
        json.put("message", stop.getMessage());
        json.put("messagePosted", stop.getMessageProblem().isEmpty());
        return json;
    }

    @Override
    public void close() {
        if (registration != null) {
            registration.close();
        }
        if (follower != null) {
            follower.close();
        }
    }

    private static int port(final String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port > 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliArguments.UsageException("--ssh-address takes host:port with a port of 1..65535, e.g. "
                + "review.example.com:29418; the port was '" + text + "'");
    }

    private static String urlHost(final String url) {
        try {
            String host = URI.create(url.trim()).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
