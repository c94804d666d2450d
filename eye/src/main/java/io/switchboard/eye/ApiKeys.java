package io.switchboard.eye;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The applications allowed to send and query events, each with one or more API keys.
 *
 * <p>Keys are 256 random bits, so a plain SHA-256 of the key is a safe thing to store (no salt or
 * slow hash needed: there is no dictionary to guess from); the database never holds a key itself.
 * A key's id is the start of its hash, shown by {@code eye keys list} and accepted by {@code eye
 * keys revoke}. A key has a {@link Scope}: an application key ingests and reads its own
 * application's events, a reader key reads all, an admin key does both. Every method blocks on the
 * database.
 */
public final class ApiKeys {

    /** Application names: short, printable, no separators used by {@code EYE_API_KEYS}. */
    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Hex digits of the hash that make a key's id. */
    private static final int KEY_ID_LENGTH = 12;

    /** Random bytes in a generated key. */
    private static final int KEY_BYTES = 32;

    /** Shortest key accepted from configuration; shorter ones are guessable. */
    private static final int MIN_KEY_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Clock clock;

    ApiKeys(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** What a key may do. */
    public enum Scope {
        /** Ingests events as its application and reads that application's events only. */
        APPLICATION,
        /** Reads every application's events; cannot ingest. */
        READER,
        /** Ingests as its application and reads every application's events. */
        ADMIN;

        /** The name stored and typed on the command line: {@code application}, {@code reader}, {@code admin}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean canIngest() {
            return this != READER;
        }

        public boolean readsAllApplications() {
            return this != APPLICATION;
        }

        /** The scope named {@code label}, or an error listing the scopes. */
        public static Scope of(String label) {
            for (Scope scope : values()) {
                if (scope.label().equals(label)) {
                    return scope;
                }
            }
            throw new IllegalArgumentException("scope must be one of application, reader, admin; was '" + label + "'");
        }
    }

    /** Who sent a request: the key's application and scope. */
    public record Caller(String application, Scope scope) {}

    /** A key as listed: never the key itself. */
    public record ApiKey(
            String keyId,
            String application,
            Scope scope,
            Instant created,
            @Nullable Instant revoked) {}

    /** A newly created key; {@code key} is shown once and never stored. */
    public record CreatedKey(String keyId, String application, Scope scope, String key) {}

    /** Creates a random key for {@code application} with the {@link Scope#APPLICATION} scope. */
    public CreatedKey create(String application) {
        return create(application, Scope.APPLICATION);
    }

    /** Creates a random key for {@code application} with {@code scope}. */
    public CreatedKey create(String application, Scope scope) {
        requireApplication(application);
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        String key = "eye_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        insert(application, key, scope);
        return new CreatedKey(keyId(key), application, scope, key);
    }

    /** Registers {@code key} for {@code application} unless it is already known (revoked keys stay revoked). */
    public void ensure(String application, String key) {
        requireApplication(application);
        if (key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("--eye-api-keys: the key of application '" + application
                    + "' is shorter than " + MIN_KEY_LENGTH + " characters");
        }
        insert(application, key, Scope.APPLICATION);
    }

    public List<ApiKey> list() {
        String sql = "SELECT key_id, application, created_micros, revoked_micros, scope FROM eye_api_keys"
                + " ORDER BY application, created_micros";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            List<ApiKey> keys = new ArrayList<>();
            while (rs.next()) {
                long revoked = rs.getLong(4);
                keys.add(new ApiKey(
                        rs.getString(1),
                        rs.getString(2),
                        Scope.of(rs.getString(5)),
                        micros(rs.getLong(3)),
                        rs.wasNull() || revoked == 0 ? null : micros(revoked)));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list API keys: " + e.getMessage(), e);
        }
    }

    /** Revokes the key with this id, or every key of the application with this name; returns how many. */
    public int revoke(String keyIdOrApplication) {
        String sql = "UPDATE eye_api_keys SET revoked_micros = ?"
                + " WHERE (key_id = ? OR application = ?) AND revoked_micros IS NULL";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, nowMicros());
            s.setString(2, keyIdOrApplication);
            s.setString(3, keyIdOrApplication);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot revoke API keys: " + e.getMessage(), e);
        }
    }

    /** The application and scope of {@code key}, or empty when the key is unknown or revoked. */
    public Optional<Caller> authenticate(String key) {
        return callerOf(hash(key));
    }

    /** The application and scope of the key with this SHA-256 hash, unless unknown or revoked. */
    Optional<Caller> callerOf(String keyHash) {
        String sql = "SELECT application, scope FROM eye_api_keys WHERE key_hash = ? AND revoked_micros IS NULL";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, keyHash);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Caller(rs.getString(1), Scope.of(rs.getString(2))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check an API key: " + e.getMessage(), e);
        }
    }

    private void insert(String application, String key, Scope scope) {
        String sql = "INSERT INTO eye_api_keys (key_id, application, key_hash, created_micros, scope)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, keyId(key));
            s.setString(2, application);
            s.setString(3, hash(key));
            s.setLong(4, nowMicros());
            s.setString(5, scope.label());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store an API key: " + e.getMessage(), e);
        }
    }

    private static void requireApplication(String application) {
        if (application == null || !APPLICATION.matcher(application).matches()) {
            throw new IllegalArgumentException(
                    "application name must match " + APPLICATION.pattern() + ", was '" + application + "'");
        }
    }

    static String keyId(String key) {
        return hash(key).substring(0, KEY_ID_LENGTH);
    }

    static String hash(String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private long nowMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static Instant micros(long micros) {
        return Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1_000L));
    }
}
