package dev.tokencenter.admin;

import dev.tokencenter.crypto.SealedValueException;
import dev.tokencenter.web.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Failures that integration tests cannot provoke on a shared database: what the admin API answers for them. */
class AdminApiExceptionHandlerTest {

    private final AdminApiExceptionHandler handler = new AdminApiExceptionHandler();

    @Test
    void anUnreachableDatabaseIsA503() {
        var noTransaction = handler.databaseUnavailable(new CannotCreateTransactionException("no connection"));
        var noConnection = handler.databaseUnavailable(new CannotGetJdbcConnectionException("down", new SQLException("refused")));

        for (var response : List.of(noTransaction, noConnection)) {
            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("5");
            assertThat(response.getBody().getType().toString()).isEqualTo("https://token-center.dev/problems/database-unavailable");
        }
    }

    @Test
    void constraintViolationsAre409WithoutTheDatabaseMessage() {
        var response = handler.integrity(new DataIntegrityViolationException("duplicate key value (id)=(the-value)"));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(response.getBody().getDetail()).doesNotContain("the-value");
    }

    @Test
    void anUnreadableSecretNamesTheRow() {
        var response = handler.sealed(new SealedValueException("credential:7:secret", "failed authentication", null));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(response.getBody().getDetail()).contains("credential:7:secret");
    }

    @Test
    void invalidInputListsTheFields() {
        var response = handler.invalid(InvalidInputException.of("appid", "is required"));

        assertThat(response.getBody().getProperties()).containsKey("errors");
        assertThat(response.getBody().getDetail()).isEqualTo("invalid input: appid is required");
    }
}
