package io.jenkins.plugins.bluegreen.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: a fresh cluster in a temp dir, listening on 127.0.0.1 on a free port,
 * its Unix socket inside the temp dir (never the system cluster's /var/run/postgresql), fsync off.
 * PostgreSQL refuses to run as root, so when the tests run as root every server command goes through
 * {@code runuser -u postgres} (the user the Debian package creates). Authentication is {@code trust}.
 */
public final class PostgresProcess implements AutoCloseable {

    public static final String DEBIAN_PACKAGE = "postgresql";
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    private static final Path PG_LIB = Path.of("/usr/lib/postgresql");
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final int maxConnections;
    private final int superuserReservedConnections;
    private final List<Connection> held = new CopyOnWriteArrayList<>();
    private Connection counting;
    private volatile boolean stopped;

    private PostgresProcess(Path dir, Path bin, int port, int maxConnections, int reserved) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.maxConnections = maxConnections;
        this.superuserReservedConnections = reserved;
    }

    /** Starts a server with PostgreSQL's defaults (max_connections 100, 3 reserved for superusers). */
    public static PostgresProcess start() {
        return start(100, 3);
    }

    /**
     * Starts a server in a new temp dir, deleted again by {@link #close()}. Always a fresh dir directly under
     * java.io.tmpdir: the postgres user must be able to reach it (a JUnit {@code @TempDir} is 0700 root) and
     * the socket path is limited to about 100 bytes.
     */
    public static PostgresProcess start(int maxConnections, int superuserReservedConnections) {
        if (superuserReservedConnections < 0 || maxConnections <= superuserReservedConnections) {
            throw new IllegalArgumentException("need 0 <= superuser_reserved_connections < max_connections, got "
                    + superuserReservedConnections + " and " + maxConnections);
        }
        Path bin = serverBinaries(); // before anything is created: missing binaries leave nothing behind
        Path dir;
        try {
            dir = Files.createTempDirectory("bg-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return start(dir, bin, maxConnections, superuserReservedConnections);
        } catch (RuntimeException e) {
            Processes.deleteRecursively(dir);
            throw e;
        }
    }

    private static PostgresProcess start(Path dir, Path bin, int maxConnections, int reserved) {
        try {
            if (runsAsRoot()) {
                // the postgres user must own the cluster and be able to reach it (createTempDirectory is 0700)
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName(USER));
                Files.getFileAttributeView(dir, PosixFileAttributeView.class)
                        .setGroup(users.lookupPrincipalByGroupName(USER));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot hand " + dir + " to the '" + USER + "' user (" + e
                    + "); the Debian package '" + DEBIAN_PACKAGE + "' creates that user", e);
        }
        run(bin, "initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-sync", "--no-instructions");
        // A free port can be taken by someone else before PostgreSQL binds it: try a few.
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            PostgresProcess pg = new PostgresProcess(dir, bin, freePort(), maxConnections, reserved);
            try {
                pg.pgCtlStart();
                pg.openCountingConnection();
                return pg;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private void pgCtlStart() {
        String options = "-c listen_addresses=127.0.0.1 -p " + port
                + " -c unix_socket_directories=" + dir
                + " -c max_connections=" + maxConnections
                + " -c superuser_reserved_connections=" + superuserReservedConnections
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB";
        run(bin, "pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("postgres.log").toString(),
                "-w", "-t", "30", "start", "-o", options);
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} with a {@code postgres} binary. */
    static Path serverBinaries() {
        try (Stream<Path> versions = Files.isDirectory(PG_LIB) ? Files.list(PG_LIB) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresProcess::majorVersion))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries not found in "
                            + PG_LIB + "/*/bin: install the Debian package '" + DEBIAN_PACKAGE
                            + "' (scripts/lib/prerequisites.sh ensure_test_services does)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a PostgreSQL tool (as the postgres user when we are root) and fails with its output. */
    private static void run(Path bin, String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (runsAsRoot()) {
            command.addAll(List.of("runuser", "-u", USER, "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(); // the tools exit soon; pg_ctl detaches the server
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(tool + " failed (exit " + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + tool, e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int superuserReservedConnections() {
        return superuserReservedConnections;
    }

    public Path dir() {
        return dir;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + DATABASE;
    }

    /** The libpq URL postgres_exporter takes in {@code DATA_SOURCE_NAME}. */
    public String dataSourceName() {
        return "postgresql://" + USER + "@" + host() + ":" + port + "/" + DATABASE + "?sslmode=disable";
    }

    /** A new connection as the superuser; the caller closes it. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("ApplicationName", "bluegreen-test");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /**
     * Opens {@code n} connections and keeps them idle, as a connection pool holds them, until the returned
     * handle (or this server) is closed.
     */
    public HeldConnections holdConnections(int n) throws SQLException {
        List<Connection> mine = new ArrayList<>();
        List<Integer> pids = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Connection c = connect();
                mine.add(c);
                held.add(c);
                pids.add(backendPid(c));
            }
        } catch (SQLException e) {
            closeAll(mine);
            throw e;
        }
        return new HeldConnections(mine, pids);
    }

    /** The client backends right now, asked of PostgreSQL itself; the counting connection, always open, is one. */
    public synchronized int clientBackends() throws SQLException {
        try (Statement s = counting.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * One connection, opened at start and kept open like a monitoring agent's, does all the counting: a closed
     * connection's backend lingers in pg_stat_activity a moment after its client has gone, so a fresh connection per
     * count would now and then count its predecessors.
     */
    private synchronized void openCountingConnection() {
        try {
            counting = connect();
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("PostgreSQL started but refuses a connection: " + e.getMessage(), e);
        }
    }

    /** Waits until none of the backends {@code pids} is left: a backend exits a moment after its client closes. */
    private synchronized void awaitGone(List<Integer> pids) throws SQLException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String list = pids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
        while (true) {
            try (Statement s = counting.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid IN (" + list + ")")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    return;
                }
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("backends " + list + " still there 10 s after their clients closed");
            }
            Thread.sleep(10);
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Idle connections held open; closing the handle closes them and returns once their backends have exited. */
    public final class HeldConnections implements AutoCloseable {
        private final List<Connection> connections;
        private final List<Integer> pids;

        private HeldConnections(List<Connection> connections, List<Integer> pids) {
            this.connections = connections;
            this.pids = pids;
        }

        public int size() {
            return connections.size();
        }

        @Override
        public void close() {
            closeAll(connections);
            held.removeAll(connections);
            if (!pids.isEmpty() && !stopped) {
                try {
                    awaitGone(pids);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot see whether the held backends exited", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                // the server may be gone already
            }
        }
    }

    /** Stops the server ({@code pg_ctl -m fast}) and deletes the cluster. Idempotent. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        closeAll(held);
        held.clear();
        synchronized (this) {
            if (counting != null) {
                closeAll(List.of(counting));
            }
        }
        try {
            run(bin, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "30", "stop");
        } finally {
            Processes.deleteRecursively(dir);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL on " + host() + ":" + port + " (max_connections=" + maxConnections
                + ", superuser_reserved_connections=" + superuserReservedConnections + ")";
    }
}
