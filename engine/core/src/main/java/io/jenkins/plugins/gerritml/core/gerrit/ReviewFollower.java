package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.core.util.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Outside Jenkins, where no Gerrit Trigger hands us events: Gerrit's {@code stream-events} over SSH feeding one
 * {@link SupersedeListener}. When the stream ends (Gerrit restarted, the connection closed) it reconnects with capped
 * backoff; after every reconnect, and once when a job is registered, the change is read over REST, so a new patch set
 * or an abandon that happened while no stream was listening still stops the job.
 *
 * <p>Connecting is part of {@link #connect}: a wrong key, host key or address fails there, before the caller starts
 * any remote job.
 */
public final class ReviewFollower implements AutoCloseable {
    /** Where and as whom to stream events; checked before anything connects. */
    public static final class Ssh {
        private final String host;
        private final int port;
        private final String user;
        private final Path privateKey;
        private final Secret passphrase;
        private final Path knownHosts;

        private Ssh(final String host, final int port, final String user, final Path privateKey,
                final Secret passphrase, final Path knownHosts) {
            this.host = host;
            this.port = port;
            this.user = user;
            this.privateKey = privateKey;
            this.passphrase = passphrase;
            this.knownHosts = knownHosts;
        }

        /**
         * @param knownHosts the OpenSSH known_hosts file that holds Gerrit's host key; there is no way to skip the
         *        host key check here
         * @throws IllegalArgumentException naming every setting to fix
         */
        public static Ssh of(final String host, final int port, final String user, final Path privateKey,
                final Secret passphrase, final Path knownHosts) {
            StringBuilder problems = new StringBuilder();
            if (host == null || host.isBlank()) {
                problems.append("\n- no Gerrit SSH host");
            }
            if (port < 1 || port > 65_535) {
                problems.append("\n- SSH port ").append(port).append(" is not 1..65535 (Gerrit's default is 29418)");
            }
            if (user == null || user.isBlank()) {
                problems.append("\n- no SSH user (the account needs the Stream Events capability)");
            }
            if (privateKey == null || !Files.isReadable(privateKey)) {
                problems.append("\n- the SSH private key ").append(privateKey == null ? "is not set"
                        : privateKey + " cannot be read");
            }
            if (knownHosts == null || !Files.isReadable(knownHosts)) {
                problems.append("\n- the known_hosts file ").append(knownHosts == null ? "is not set"
                        : knownHosts + " cannot be read").append(" (add Gerrit's host key: ssh-keyscan -p ")
                        .append(port).append(' ').append(host).append(')');
            }
            if (problems.length() > 0) {
                throw new IllegalArgumentException("Cannot follow the review over Gerrit's stream-events:" + problems);
            }
            return new Ssh(host.trim(), port, user.trim(), privateKey, passphrase == null ? Secret.empty()
                    : passphrase, knownHosts);
        }

        public String getHost() {
            return host;
        }

        public int getPort() {
            return port;
        }

        public String getUser() {
            return user;
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    /** How long to wait before reconnecting a stream that ended: 1 s doubling to 30 s. */
    public static final Backoff RECONNECT = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final Ssh ssh;
    private final SupersedeListener listener;
    private final GerritRestClient rest;
    private final Backoff reconnect;
    private final Consumer<String> log;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private GerritEventStream stream;
    private boolean closed;
    private int attempt;

    private ReviewFollower(final Ssh ssh, final SupersedeListener listener, final GerritRestClient rest,
            final Backoff reconnect, final Consumer<String> log) {
        this.ssh = ssh;
        this.listener = listener;
        this.rest = rest;
        this.reconnect = reconnect;
        this.log = log;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gerrit-ml review follower " + ssh);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects to {@code stream-events} and starts feeding {@code listener}.
     *
     * @param rest reads the change after a reconnect or a registration, to catch what the stream missed
     * @throws GerritRestException of kind UNAVAILABLE or UNAUTHORIZED when the first connection fails
     */
    public static ReviewFollower connect(final Ssh ssh, final SupersedeListener listener, final GerritRestClient rest,
            final Backoff reconnect, final Consumer<String> log) {
        ReviewFollower follower = new ReviewFollower(Objects.requireNonNull(ssh, "ssh"),
                Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(rest, "rest"),
                Objects.requireNonNull(reconnect, "reconnect"), Objects.requireNonNull(log, "log"));
        try {
            follower.open();
        } catch (RuntimeException e) {
            follower.scheduler.shutdownNow();
            throw e;
        }
        return follower;
    }

    private void open() {
        GerritEventStream opened = GerritEventStream.connect(ssh.host, ssh.port, ssh.user, ssh.privateKey,
                ssh.passphrase, ssh.knownHosts, listener::onStreamEvent, this::onStreamEnded);
        synchronized (lock) {
            if (closed) {
                opened.close();
                return;
            }
            stream = opened;
        }
    }

    private void onStreamEnded(final Exception why) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            stream = null;
        }
        log.accept("Gerrit's stream-events " + ssh + " ended (" + why.getMessage() + "); reconnecting");
        schedule();
    }

    private void schedule() {
        Duration delay;
        synchronized (lock) {
            if (closed) {
                return;
            }
            delay = reconnect.delay(attempt++);
        }
        try {
            scheduler.schedule(this::reconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void reconnect() {
        try {
            open();
        } catch (GerritRestException e) {
            log.accept("Still no stream-events from " + ssh + ": " + e.getMessage());
            schedule();
            return;
        }
        synchronized (lock) {
            attempt = 0;
        }
        log.accept("Following Gerrit's stream-events " + ssh + " again");
        for (RunningJob job : listener.running()) {
            catchUp(job);
        }
    }

    /**
     * Watches {@code job}: stops it when its patch set is superseded or its change abandoned, including by anything
     * that happened before this call (the change is read once now).
     */
    public SupersedeListener.Registration follow(final RunningJob job, final SupersedeListener.JobStop stop) {
        SupersedeListener.Registration registration = listener.register(job, stop);
        if (registration.getStop().isEmpty()) {
            catchUp(job);
        }
        return registration;
    }

    /** Hands the listener the event Gerrit's current state implies for {@code job}'s change, if any. */
    private void catchUp(final RunningJob job) {
        LiveChange live;
        try {
            live = rest.getChange(job.getChange().getRestId());
        } catch (RuntimeException e) {
            log.accept("Could not read " + job.getChange().getRestId() + " to see whether " + job.getDescription()
                    + " was superseded meanwhile: " + e.getMessage());
            return;
        }
        listener.catchUp(job, live);
    }

    /** Whether a stream is connected now (false while reconnecting). */
    public boolean isConnected() {
        synchronized (lock) {
            return stream != null && stream.isConnected();
        }
    }

    @Override
    public void close() {
        GerritEventStream open;
        synchronized (lock) {
            closed = true;
            open = stream;
            stream = null;
        }
        scheduler.shutdownNow();
        if (open != null) {
            open.close();
        }
    }
}
