package dev.portcullis.store;

import dev.portcullis.testing.PostgresDatabases;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigRevisionTest {

    @Test
    void aBumpNotifiesItsRevisionWhenItCommitsAndNotWhenItRollsBack() throws Exception {
        String url = PostgresDatabases.create();
        try (Database database = Database.open(url, 2);
             Connection listening = DriverManager.getConnection(url);
             Statement statement = listening.createStatement()) {
            statement.execute("LISTEN " + ConfigRevision.CHANNEL);
            PGConnection postgres = listening.unwrap(PGConnection.class);
            Sql sql = database.sql();

            assertThatThrownBy(() -> sql.inTransaction(tx -> {
                ConfigRevision.bump(tx);
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");
            assertThat(postgres.getNotifications(300)).as("notifications after a rollback").isEmpty();

            sql.inTransaction(tx -> {
                ConfigRevision.bump(tx);
                return null;
            });
            PGNotification[] notifications = postgres.getNotifications(2_000);
            assertThat(notifications).hasSize(1);
            assertThat(notifications[0].getName()).isEqualTo(ConfigRevision.CHANNEL);
            assertThat(notifications[0].getParameter()).isEqualTo(Long.toString(ConfigRevision.current(sql))).isNotEqualTo("0");
        } finally {
            PostgresDatabases.drop(url);
        }
    }
}
