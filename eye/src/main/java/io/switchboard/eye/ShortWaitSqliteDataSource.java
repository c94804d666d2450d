package io.switchboard.eye;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite connections that wait for the write lock with a {@link ShortWaitBusyHandler} instead of
 * {@code busy_timeout}'s sleeps. The pool asks this for every physical connection (also those that
 * replace retired ones), so each gets its handler before its first statement.
 */
final class ShortWaitSqliteDataSource extends SQLiteDataSource {

    private final Duration firstWait;
    private final Duration maxWait;
    private final Duration giveUpAfter;

    /**
     * @param pragmas the connection pragmas (journal mode, synchronous, transaction mode ...), the
     *     same the other connections get
     */
    ShortWaitSqliteDataSource(
            String url, Properties pragmas, Duration firstWait, Duration maxWait, Duration giveUpAfter) {
        super(new SQLiteConfig(pragmas));
        setUrl(url);
        this.firstWait = firstWait;
        this.maxWait = maxWait;
        this.giveUpAfter = giveUpAfter;
    }

    @Override
    public SQLiteConnection getConnection(@Nullable String username, @Nullable String password) throws SQLException {
        SQLiteConnection connection = super.getConnection(username, password);
        try {
            ShortWaitBusyHandler.setHandler(connection, new ShortWaitBusyHandler(firstWait, maxWait, giveUpAfter));
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
