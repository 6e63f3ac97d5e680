package io.streamingpipeline.localstack.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.EngineLibraries;
import io.streamingpipeline.localstack.process.EngineProcess;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.JavaProcess;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    static final String SUPERUSER = "cassandra";
    static final String SUPERUSER_PASSWORD = "cassandra";

    /**
     * The options of Cassandra 5.0's {@code conf/jvm17-server.options} that it needs to run on JDK 17, and the
     * ones of {@code jvm-server.options} that matter on a small machine (see shared/versions.md).
     */
    public static final List<String> JDK17_OPTIONS = List.of(
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports=java.sql/java.sql=ALL-UNNAMED",
            "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Djdk.attach.allowAttachSelf=true",
            "-Djava.net.preferIPv4Stack=true",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+UseG1GC",
            "-XX:+ParallelRefProcEnabled",
            "-XX:MaxTenuringThreshold=1",
            "-Xss256k");

    private static final String HOST = FreePorts.HOST;
    private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");

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
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.HEARTBEAT_TIMEOUT, Duration.ofSeconds(10))
                // close() in milliseconds instead of Netty's 2 s quiet period (tests open many short sessions)
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .withBoolean(DefaultDriverOption.REQUEST_LOG_WARNINGS, logServerWarnings)
                .build();
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
        Path yaml = conf.resolve("cassandra.yaml");
        Path logback = conf.resolve("logback.xml");
        Path triggers = dataDir.resolve("triggers");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(triggers);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the directories of " + dataDir, e);
        }
        CassandraConfigFiles.writeYaml(
                yaml, CassandraConfigFiles.settings(clusterName, dataDir, HOST, nativePort, storagePort, overrides));
        CassandraConfigFiles.writeLogback(logback, logFile());

        JavaProcess.Builder builder = JavaProcess.builder(MAIN_CLASS)
                .name("cassandra")
                .classpathEntry(conf)
                .jarsIn(libDir)
                .jvmOptions("-Xmx" + heap, "-javaagent:" + jammJar())
                .jvmOptions(JDK17_OPTIONS)
                .jvmOptions(jvmOptions)
                .systemProperty("cassandra.config", yaml.toUri().toString())
                .systemProperty("cassandra.storagedir", dataDir.toString())
                .systemProperty("cassandra.logdir", dataDir.toString())
                .systemProperty("cassandra.triggers_dir", triggers.toString())
                .systemProperty("logback.configurationFile", logback.toUri().toString())
                .systemProperty("cassandra-foreground", "yes")
                // one node: no need to wait for a ring to form or gossip to settle (50 s instead of 17 s otherwise)
                .systemProperty("cassandra.ring_delay_ms", "1000")
                .systemProperty("cassandra.skip_wait_for_gossip_to_settle", "0")
                // the default superuser is created 10 s after start by default; nobody else can create it here
                .systemProperty("cassandra.superuser_setup_delay_ms", "0")
                .systemProperty("java.awt.headless", "true")
                .workingDirectory(dataDir)
                .output(outFile());
        running(builder.start());
        awaitReady(started);
        lastStartDuration = Duration.ofNanos(System.nanoTime() - started);
    }

    private Path jammJar() {
        try (Stream<Path> files = Files.list(libDir)) {
            return files.filter(f -> f.getFileName().toString().matches("jamm-[0-9.]+\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new EngineStartException(
                            "No jamm-*.jar in " + libDir + " (Cassandra needs it as -javaagent)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            try (CqlSession admin =
                    sessionBuilder(SUPERUSER, SUPERUSER_PASSWORD, false).build()) {
                provisionRoles(admin);
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

    /**
     * Creates the application role and the read-only role, or sets their passwords and LOGIN again; grants the
     * application role all data permissions and reading {@code system_views} (again: a no-op whose server warning
     * "already granted" is not logged).
     * The read-only role gets no permission here: its keyspace may not exist yet ({@link #grantReadOnly(String)}).
     */
    private void provisionRoles(CqlSession admin) {
        loginRole(admin, username, password);
        admin.execute("GRANT ALL PERMISSIONS ON ALL KEYSPACES TO " + username);
        // the node's own counters (e.g. reads per table) for tests and benchmarks; "all keyspaces" excludes them
        admin.execute("GRANT SELECT ON KEYSPACE system_views TO " + username);
        loginRole(admin, readerUsername, readerPassword);
    }

    private static void loginRole(CqlSession admin, String role, String rolePassword) {
        String pass = cqlString(rolePassword);
        admin.execute("CREATE ROLE IF NOT EXISTS " + role + " WITH PASSWORD = " + pass + " AND LOGIN = true");
        admin.execute("ALTER ROLE " + role + " WITH PASSWORD = " + pass + " AND LOGIN = true");
    }

    private static String cqlString(String value) {
        return "'" + value.replace("'", "''") + "'";
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
            checkRole(user, pass, "application");
            this.username = user;
            this.password = pass;
            return this;
        }

        /** The read-only role created at start (default {@code pipeline_reader} / {@code pipeline-reader-local}). */
        public Builder readerCredentials(String user, String pass) {
            checkRole(user, pass, "read-only");
            this.readerUsername = user;
            this.readerPassword = pass;
            return this;
        }

        private static void checkRole(String user, String pass, String which) {
            if (user == null || !ROLE_NAME.matcher(user).matches()) {
                throw new IllegalArgumentException("role name must be a lowercase letter followed by at most 47 "
                        + "lowercase letters, digits or underscores, was '" + user + "'");
            }
            if (user.equals(SUPERUSER)) {
                throw new IllegalArgumentException("the " + which + " role must not be the default superuser");
            }
            if (pass == null || pass.isEmpty()) {
                throw new IllegalArgumentException("the " + which + " role needs a password");
            }
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
