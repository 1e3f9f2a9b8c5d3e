package dev.tokencenter.registry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one change in one transaction (entities, audit event and all) and publishes the application events it
 * collected only after the commit, outside any transaction: listeners use plain {@code @EventListener} (or
 * {@code @TransactionalEventListener(fallbackExecution = true)}) and see committed data. A rolled-back change
 * publishes nothing.
 */
@Component
public class TransactionalChanges {

    private final TransactionTemplate transactions;
    private final TransactionTemplate readOnly;
    private final ApplicationEventPublisher publisher;

    TransactionalChanges(PlatformTransactionManager transactionManager, ApplicationEventPublisher publisher) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.publisher = publisher;
    }

    public <T> T run(Function<List<Object>, T> change) {
        List<Object> events = new ArrayList<>();
        T result = transactions.execute(status -> change.apply(events));
        events.forEach(publisher::publishEvent);
        return result;
    }

    /** A read in one (read-only) transaction. */
    public <T> T read(Supplier<T> query) {
        return readOnly.execute(status -> query.get());
    }
}
