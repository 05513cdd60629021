package io.jenkins.plugins.gerritml.core.gerrit;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.jenkins.plugins.gerritml.core.util.Secret;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Gerrit's {@code stream-events} over SSH: one JSON line per event, handed to a consumer on a reader thread. Used by
 * the command-line front end and the demo; inside Jenkins, Gerrit Trigger owns the stream and hands us its events.
 */
public final class GerritEventStream implements AutoCloseable {
    private final Session session;
    private final ChannelExec channel;
    private final Thread reader;
    private final AtomicBoolean closing;

    private GerritEventStream(final Session session, final ChannelExec channel, final Thread reader,
            final AtomicBoolean closing) {
        this.session = session;
        this.channel = channel;
        this.reader = reader;
        this.closing = closing;
    }

    /**
     * Connects as {@code user} with a private key and starts streaming.
     *
     * @param knownHosts an OpenSSH known_hosts file to verify the server key, or null to accept any host key
     *        (only for loopback test servers)
     * @param onFailure told once when the stream ends without {@link #close()}: a read error, or Gerrit closing the
     *        connection (a restart, an administrator's {@code gerrit close-connection})
     * @throws GerritRestException of kind UNAVAILABLE or UNAUTHORIZED when the connection fails
     */
    public static GerritEventStream connect(final String host, final int port, final String user,
            final Path privateKey, final Secret passphrase, final Path knownHosts, final Consumer<String> onEvent,
            final Consumer<Exception> onFailure) {
        JSch jsch = new JSch();
        Session session = null;
        try {
            jsch.addIdentity(privateKey.toString(), passphrase.isEmpty() ? null
                    : passphrase.reveal().getBytes(StandardCharsets.UTF_8));
            if (knownHosts != null) {
                jsch.setKnownHosts(knownHosts.toString());
            }
            session = jsch.getSession(user, host, port);
            session.setConfig("StrictHostKeyChecking", knownHosts == null ? "no" : "yes");
            session.connect(15_000);
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand("gerrit stream-events");
            BufferedReader lines = new BufferedReader(new InputStreamReader(channel.getInputStream(),
                    StandardCharsets.UTF_8));
            channel.connect(15_000);
            AtomicBoolean closing = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (!line.isBlank()) {
                            onEvent.accept(line);
                        }
                    }
                    if (!closing.get()) {
                        onFailure.accept(new IOException("Gerrit closed the stream-events connection"));
                    }
                } catch (IOException e) {
                    if (!closing.get()) {
                        onFailure.accept(e);
                    }
                }
            }, "gerrit stream-events " + user + "@" + host + ":" + port);
            reader.setDaemon(true);
            reader.start();
            return new GerritEventStream(session, channel, reader, closing);
        } catch (JSchException | IOException e) {
            if (session != null) {
                session.disconnect();
            }
            String message = String.valueOf(e.getMessage());
            boolean auth = message.contains("Auth fail");
            boolean hostKey = message.contains("HostKey");
            throw new GerritRestException(auth || hostKey ? GerritRestException.Kind.UNAUTHORIZED
                    : GerritRestException.Kind.UNAVAILABLE, 0, "Cannot stream Gerrit events as " + user + "@" + host
                    + ":" + port + ": " + message + (auth ? " (check the SSH key registered for " + user
                    + " and that the account may streamEvents)" : "") + (hostKey ? " (the known_hosts file "
                    + knownHosts + " has no matching key for this server; if the server is the right one, add its "
                    + "key: ssh-keyscan -p " + port + " " + host + ")" : ""), e);
        }
    }

    public boolean isConnected() {
        return channel.isConnected() && !channel.isClosed();
    }

    @Override
    public void close() {
        closing.set(true);
        channel.disconnect();
        session.disconnect();
        reader.interrupt();
    }
}
