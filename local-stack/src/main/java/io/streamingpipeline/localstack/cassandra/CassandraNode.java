package io.streamingpipeline.localstack.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.EngineLibraries;
import io.streamingpipeline.localstack.process.EngineProcess;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.PortInUseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real single-node Apache Cassandra 5.0 running as a child JVM from the jars of
 * {@code local-stack/engines/cassandra}, listening on 127.0.0.1 only, with password authentication and all its files
 * in one data directory: {@code conf/cassandra.yaml}, {@code conf/logback.xml}, {@code data/}, {@code commitlog/},
 * {@code saved_caches/}, {@code hints/}, {@code cassandra.log} (the node's log) and {@code cassandra.out} (the JVM's
 * stdout/stderr).
 *
 * <pre>{@code
 * try (CassandraNode cassandra = CassandraNode.start(dir);
 *      CqlSession session = cassandra.session()) {
 *     session.execute("CREATE KEYSPACE ...");
 * }
 * }</pre>
 *
 * <p>At every start it waits until the default superuser ({@code cassandra}/{@code cassandra}, created by Cassandra
 * a few seconds after the CQL port opens on a fresh node) can log in, then creates or updates the application's role
 * ({@link #username()}/{@link #password()}, LOGIN, all permissions on all keyspaces, not a superuser) and the read-only
 * role ({@link #readerUsername()}/{@link #readerPassword()}, LOGIN, no permission until {@link #grantReadOnly(String)}
 * gives it {@code SELECT} on one keyspace). Everything else (tests, the Spark job, the ingestor) uses the application
 * role; the query service uses the read-only one. Writes are acknowledged only once they are in the fsynced
 * commit log ({@code commitlog_sync: group}, 2 ms window), so a {@link #kill()} loses no acknowledged write.
 */
public final class CassandraNode extends EngineProcess {

    /**
     * The heap of the pipeline's node ({@code ./pipeline run}, bench/latency). Memtables get a quarter of the heap;
     * with 512m, 20,000 trades/s flushed a 42-MiB memtable of the trade table every ~3 s (167 flushes and 42
     * compactions in one bench/latency run) and the node used 0.86 of the 2 cores; with 2g, 14 flushes and 0.65.
     */
    public static final String PIPELINE_HEAP = "2g";

    /** Name of the node's log file in the data directory. */
    public static final String LOG_FILE = "cassandra.log";
    /** Name of the file that receives the node JVM's stdout and stderr. */
    public static final String OUT_FILE = "cassandra.out";
    /** The datacenter of a node with {@code SimpleSnitch}: what a driver's {@code withLocalDatacenter} needs. */
    public static final String DATACENTER = "datacenter1";
    /** Default application role (a local development credential, not a secret). */
    public static final String DEFAULT_USERNAME = "pipeline";
    /** Default password of the application role (a local development credential, not a secret). */
    public static final String DEFAULT_PASSWORD = "pipeline-local";
    /** The read-only role of the query service: the name Compose and Kubernetes use too. */
    public static final String READER_USERNAME = "pipeline_reader";
    /** Default password of the read-only role (a local development credential, not a secret). */
    public static final String DEFAULT_READER_PASSWORD = "pipeline-reader-local";

    private static final String HOST = FreePorts.HOST;

    private final Path libDir;
    private final int nativePort;
    private final int storagePort;
    private final String clusterName;
    private final String username;
    private final String password;
    private final String readerUsername;
    private final String readerPassword;
    private final String heap;
    private final List<String> jvmOptions;
    private final Map<String, String> overrides;
    private volatile Duration lastStartDuration = Duration.ZERO;
    private volatile Duration lastPortOpenDuration = Duration.ZERO;

    private CassandraNode(Builder builder, int nativePort, int storagePort) {
        super("Cassandra node", builder.dataDir, builder.startTimeout, builder.stopTimeout);
        this.libDir = builder.libDir != null ? builder.libDir : EngineLibraries.cassandra();
        this.nativePort = nativePort;
        this.storagePort = storagePort;
        this.clusterName = builder.clusterName;
        this.username = builder.username;
        this.password = builder.password;
        this.readerUsername = builder.readerUsername;
        this.readerPassword = builder.readerPassword;
        this.heap = builder.heap;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.overrides = Map.copyOf(builder.overrides);
    }

    /** Starts a node on free ports with its files in {@code dataDir} (created if needed); returns once it is ready. */
    public static CassandraNode start(Path dataDir) {
        return builder(dataDir).start();
    }

    /** To choose ports, heap, the application role or timeouts before {@link Builder#start()}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** {@code 127.0.0.1:<native port>}: the contact point for drivers. */
    public String contactPoint() {
        return HOST + ":" + nativePort;
    }

    /** {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The CQL native-protocol port; stays the same across {@link #restart()}. */
    public int port() {
        return nativePort;
    }

    /** The internode (gossip/storage) port; stays the same across {@link #restart()}. */
    public int storagePort() {
        return storagePort;
    }

    /** The application role: LOGIN, all permissions on all keyspaces, not a superuser. */
    public String username() {
        return username;
    }

    /** The application role's password. */
    public String password() {
        return password;
    }

    /** The read-only role: LOGIN, {@code SELECT} on the keyspaces given to {@link #grantReadOnly(String)}, nothing else. */
    public String readerUsername() {
        return readerUsername;
    }

    /** The read-only role's password. */
    public String readerPassword() {
        return readerPassword;
    }

    /**
     * Gives the read-only role {@code SELECT} on {@code keyspace} (which must exist), as the application role, which
     * holds every permission on it. Repeating it changes nothing.
     */
    public void grantReadOnly(String keyspace) {
        try (CqlSession app = sessionBuilder(username, password, false).build()) {
            app.execute("GRANT SELECT ON KEYSPACE " + CassandraSchema.keyspace(keyspace) + " TO " + readerUsername);
        }
    }

    /** A new session logged in as the read-only role; the caller closes it. */
    public CqlSession readerSession() {
        return sessionBuilder(readerUsername, readerPassword).build();
    }

    /** {@link #DATACENTER}. */
    public String datacenter() {
        return DATACENTER;
    }

    @Override
    public String address() {
        return contactPoint();
    }

    /** The node's logback log. */
    @Override
    public Path logFile() {
        return dataDir().resolve(LOG_FILE);
    }

    @Override
    protected Path outFile() {
        return dataDir().resolve(OUT_FILE);
    }

    /** How long the last start took, from launching the JVM until the application role could log in. */
    public Duration lastStartDuration() {
        return lastStartDuration;
    }

    /** How long the last start took until the CQL port accepted connections (before logins work). */
    public Duration lastPortOpenDuration() {
        return lastPortOpenDuration;
    }

    /**
     * A new session logged in as the application role ({@code datacenter1}, generous timeouts for schema changes on
     * a small machine). The caller closes it.
     */
    public CqlSession session() {
        return sessionBuilder(username, password).build();
    }

    /** {@link #session()} with {@code keyspace} as the session's keyspace. */
    public CqlSession session(String keyspace) {
        return sessionBuilder(username, password).withKeyspace(keyspace).build();
    }

    /** A session builder for this node with the given credentials, for what {@link #session()} does not cover. */
    public CqlSessionBuilder sessionBuilder(String user, String pass) {
        return sessionBuilder(user, pass, true);
    }

    private CqlSessionBuilder sessionBuilder(String user, String pass, boolean logServerWarnings) {
        DriverConfigLoader config = LocalDriverConfig.of(logServerWarnings);
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(HOST, nativePort))
                .withLocalDatacenter(DATACENTER)
                .withAuthCredentials(user, pass)
                .withConfigLoader(config);
    }

    /** A clean stop drains the node (flushes memtables, closes the commit log); after a kill it replays the commit log. */
    @Override
    protected void launchProcess(long started) {
        FreePorts.requireFree(nativePort, "Cassandra native transport (CQL)");
        FreePorts.requireFree(storagePort, "Cassandra storage (internode)");
        Path dataDir = dataDir();
        Path conf = dataDir.resolve("conf");
        Path triggers = dataDir.resolve("triggers");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(triggers);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the directories of " + dataDir, e);
        }
        CassandraConfigFiles.writeYaml(
                conf.resolve("cassandra.yaml"),
                CassandraConfigFiles.settings(clusterName, dataDir, HOST, nativePort, storagePort, overrides));
        CassandraConfigFiles.writeLogback(conf.resolve("logback.xml"), logFile());

        running(CassandraJvm.daemon(libDir, dataDir, heap, jvmOptions, outFile())
                .start());
        awaitReady(started);
        lastStartDuration = Duration.ofNanos(System.nanoTime() - started);
    }

    private void awaitReady(long started) {
        long deadline = started + startTimeout().toNanos();
        // 1. the CQL port accepts connections (no driver warnings about refused connections meanwhile)
        while (!accepts(nativePort)) {
            checkAlive();
            checkDeadline(deadline, "its CQL port " + contactPoint() + " did not open", null);
            sleep(200);
        }
        lastPortOpenDuration = Duration.ofNanos(System.nanoTime() - started);
        // 2. the default superuser can log in (on a fresh node it appears a few seconds after the port opens)
        Exception last = null;
        while (true) {
            checkAlive();
            try (CqlSession admin = sessionBuilder(CassandraRoles.SUPERUSER, CassandraRoles.SUPERUSER_PASSWORD, false)
                    .build()) {
                CassandraRoles.provision(admin, username, password, readerUsername, readerPassword);
                break;
            } catch (RuntimeException e) {
                // AuthenticationException until the superuser exists; also "unavailable" while system_auth settles
                last = e;
            }
            checkDeadline(deadline, "the superuser could not log in and create the role '" + username + "'", last);
            sleep(500);
        }
        // 3. the application role can log in
        try (CqlSession app = session()) {
            app.execute("SELECT release_version FROM system.local");
        }
    }

    /** How to start a {@link CassandraNode}. */
    public static final class Builder {
        private final Path dataDir;
        private Path libDir;
        private int nativePort;
        private int storagePort;
        private String clusterName = "local-stack";
        private String username = DEFAULT_USERNAME;
        private String password = DEFAULT_PASSWORD;
        private String readerUsername = READER_USERNAME;
        private String readerPassword = DEFAULT_READER_PASSWORD;
        private String heap = "512m";
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(180);
        private Duration stopTimeout = Duration.ofSeconds(60);

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** The CQL native-protocol port; 0 (default) picks a free one. Kept across restarts. */
        public Builder port(int port) {
            this.nativePort = port;
            return this;
        }

        /** The internode storage port; 0 (default) picks a free one. Kept across restarts. */
        public Builder storagePort(int port) {
            this.storagePort = port;
            return this;
        }

        /** Directory of the Cassandra jars; default {@link EngineLibraries#cassandra()}. */
        public Builder libDir(Path dir) {
            this.libDir = dir;
            return this;
        }

        /** {@code cluster_name} (default {@code local-stack}); must stay the same for an existing data dir. */
        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        /** The application role created at start (default {@code pipeline} / {@code pipeline-local}). */
        public Builder credentials(String user, String pass) {
            CassandraRoles.check(user, pass, "application");
            this.username = user;
            this.password = pass;
            return this;
        }

        /** The read-only role created at start (default {@code pipeline_reader} / {@code pipeline-reader-local}). */
        public Builder readerCredentials(String user, String pass) {
            CassandraRoles.check(user, pass, "read-only");
            this.readerUsername = user;
            this.readerPassword = pass;
            return this;
        }

        /** Maximum heap of the node's JVM, as for {@code -Xmx} (default {@code 512m}: RSS about 1 GB). */
        public Builder heap(String size) {
            if (size == null || !size.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("heap must look like 512m or 1g, was '" + size + "'");
            }
            this.heap = size;
            return this;
        }

        /** Extra options for the node's JVM, after the defaults. */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /** A top-level {@code cassandra.yaml} setting over the defaults; {@code value} is written as a YAML scalar. */
        public Builder yamlSetting(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** How long {@link #start()} / {@link CassandraNode#startAgain()} wait for readiness (default 180 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** How long {@link CassandraNode#stop()} waits for a clean shutdown before SIGKILL (default 60 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Writes the configuration, starts the node and waits until the application role can log in. Throws
         * {@link PortInUseException} if a fixed port is taken, {@link EngineStartException} (with the tail of the
         * node's log) if it does not become ready in time.
         */
        public CassandraNode start() {
            int[] free = FreePorts.pick(2);
            CassandraNode node = new CassandraNode(
                    this, nativePort != 0 ? nativePort : free[0], storagePort != 0 ? storagePort : free[1]);
            if (node.username.equals(node.readerUsername)) {
                throw new IllegalArgumentException(
                        "the application role and the read-only role are both '" + node.username + "'");
            }
            if (node.nativePort == node.storagePort) {
                throw new IllegalArgumentException("Native and storage port are both " + node.nativePort);
            }
            node.launch();
            return node;
        }
    }
}
