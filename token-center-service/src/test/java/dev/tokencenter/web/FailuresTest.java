package dev.tokencenter.web;

import dev.tokencenter.crypto.SealedValueException;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisTimeoutException;
import org.springframework.core.codec.DecodingException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import tools.jackson.databind.json.JsonMapper;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Failures an HTTP test cannot easily provoke, and what the catalogue makes of them. */
class FailuresTest {

    record Grant(String app, String env) {
    }

    record Client(String name, List<Grant> grants) {
    }

    @Test
    void anUnreachableDatabaseIsA503WithRetryAfter() {
        for (Throwable failure : List.of(new CannotCreateTransactionException("no connection"),
                new CannotGetJdbcConnectionException("down", new SQLException("refused")),
                new QueryTimeoutException("canceling statement due to statement timeout"),
                new CompletionException(new CannotGetJdbcConnectionException("down")))) {
            Problem problem = Failures.problemFor(failure);
            assertThat(problem.type()).as(failure.toString()).isEqualTo(ProblemType.DATABASE_UNAVAILABLE);
            assertThat(problem.headers()).containsEntry("Retry-After", "5");
        }
    }

    @Test
    void anUnreachableRedisIsA503WithRetryAfter() {
        for (Throwable failure : List.of(new RedisTimeoutException("Command execution timeout for 127.0.0.1/6379"),
                new RedisConnectionException("Unable to connect to Redis server: 127.0.0.1/6379"),
                new CompletionException(new RedisTimeoutException("timeout")))) {
            Problem problem = Failures.problemFor(failure);
            assertThat(problem.type()).isEqualTo(ProblemType.REDIS_UNAVAILABLE);
            assertThat(problem.headers()).containsEntry("Retry-After", "5");
            assertThat(problem.detail()).doesNotContain("127.0.0.1");
        }
        assertThat(Failures.problemFor(new TimeoutException("Did not observe any item")).type())
                .isEqualTo(ProblemType.SERVICE_UNAVAILABLE);
    }

    @Test
    void constraintViolationsAre409WithoutTheDatabaseMessage() {
        Problem problem = Failures.problemFor(new DataIntegrityViolationException("duplicate key value (id)=(the-value)"));

        assertThat(problem.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(problem.detail()).doesNotContain("the-value");
    }

    @Test
    void aProgrammingErrorIsA500ThatSaysNothingOfItself() {
        Problem problem = Failures.problemFor(new InvalidDataAccessApiUsageException("select * from secret_table"));
        Problem unexpected = Failures.problemFor(new IllegalStateException("the secret s3cr3t was null"));

        for (Problem internal : List.of(problem, unexpected)) {
            assertThat(internal.type()).isEqualTo(ProblemType.INTERNAL);
            assertThat(internal.detail()).isEqualTo("The request failed; see the service log.");
        }
    }

    @Test
    void anUnreadableSecretNamesTheRow() {
        Problem problem = Failures.problemFor(new SealedValueException("credential:7:secret", "failed authentication", null));

        assertThat(problem.type()).isEqualTo(ProblemType.SEALED_VALUE);
        assertThat(problem.detail()).contains("credential:7:secret");
    }

    @Test
    void invalidInputListsTheFields() {
        Problem problem = Failures.problemFor(InvalidInputException.of("appid", "is required"));

        assertThat(problem.errors()).containsExactly(new FieldViolation("appid", "is required"));
        assertThat(problem.detail()).isEqualTo("invalid input: appid is required");
        assertThat(problem.body("/x").getProperties()).containsKey("errors");
    }

    @Test
    void aBodyOfTheWrongShapeNamesTheFieldButNotTheValue() {
        JsonMapper strict = StrictJsonRequests.strict(JsonMapper.builder().build());
        Throwable wrongType = catchThrowable(() -> strict.readValue(
                "{\"name\":\"svc\",\"grants\":[{\"app\":\"a\",\"env\":98765432109876}]}", Client.class));
        Throwable repeated = catchThrowable(() -> strict.readValue(
                "{\"name\":\"svc\",\"grants\":[{\"app\":\"a\",\"app\":\"s3cr3t-value\"}]}", Client.class));

        Problem typeProblem = Failures.problemFor(new ServerWebInputException("Failed to read HTTP message", null,
                new DecodingException("JSON decoding error", wrongType)));
        Problem repeatProblem = Failures.problemFor(new DecodingException("JSON decoding error", repeated));

        assertThat(typeProblem.errors()).containsExactly(new FieldViolation("grants[0].env", "must be a string"));
        assertThat(repeatProblem.errors()).containsExactly(new FieldViolation("grants[0].app", "appears more than once"));
        assertThat(typeProblem.detail() + repeatProblem.detail()).doesNotContain("98765432109876", "s3cr3t-value");
    }

    @Test
    void statusExceptionsOfTheFrameworkMapToTheCatalogue() {
        Problem notAllowed = Failures.problemFor(new MethodNotAllowedException(HttpMethod.PATCH, Set.of(HttpMethod.GET, HttpMethod.POST)));
        Problem unsupported = Failures.problemFor(new UnsupportedMediaTypeStatusException("text/plain"));

        assertThat(notAllowed.type()).isEqualTo(ProblemType.METHOD_NOT_ALLOWED);
        assertThat(notAllowed.headers()).containsEntry("Allow", "GET, POST");
        assertThat(unsupported.type()).isEqualTo(ProblemType.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(Problem.of(ProblemType.RATE_LIMITED, "x").retryAfter(Duration.ofMillis(1200)).headers())
                .containsEntry("Retry-After", "2");
        assertThat(Problem.of(ProblemType.RATE_LIMITED, "x").retryAfter(Duration.ZERO).headers())
                .containsEntry("Retry-After", "1");
    }
}
