package dev.tokencenter.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.redisson.api.RKeys;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RType;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.ByteArrayCodec;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Searches where sensitive values could end up (log lines, PostgreSQL columns, Redis keys, values and pub/sub
 * messages) for a value in every form it could take there: text, base64 (standard and URL-safe, at any alignment
 * inside a longer encoded text) and hex (both cases); a base64 value also by its decoded bytes.
 */
public final class LeakSearch {

    /** The levels under which a log line could still carry a value: everything of ours and the web stack's. */
    public static final Map<String, Level> VERBOSE = Map.of(
            "org.springframework.web", Level.TRACE,
            "org.springframework.http", Level.TRACE,
            "org.springframework.security", Level.TRACE,
            "org.springframework.jdbc", Level.TRACE,
            "org.springframework.transaction", Level.DEBUG,
            "org.hibernate.SQL", Level.DEBUG,
            "org.hibernate.orm.jdbc.bind", Level.TRACE,
            "reactor.netty", Level.DEBUG,
            "org.redisson", Level.DEBUG,
            "dev.tokencenter", Level.TRACE);

    private LeakSearch() {
    }

    /** Every form of {@code value} to look for. */
    public static List<String> forms(String value) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        addEncodings(forms, value.getBytes(StandardCharsets.UTF_8));
        decodedBase64(value).ifPresent(bytes -> addEncodings(forms, bytes));
        return List.copyOf(forms);
    }

    private static void addEncodings(Set<String> forms, byte[] bytes) {
        forms.add(HexFormat.of().formatHex(bytes));
        forms.add(HexFormat.of().withUpperCase().formatHex(bytes));
        forms.add(Base64.getEncoder().encodeToString(bytes));
        for (int skip = 0; skip < 3 && bytes.length - skip >= 9; skip++) {
            // inside a longer encoded text the value starts at any of three alignments: whole 3-byte groups of it
            // encode the same way at each
            byte[] aligned = Arrays.copyOfRange(bytes, skip, skip + (bytes.length - skip) / 3 * 3);
            forms.add(Base64.getEncoder().withoutPadding().encodeToString(aligned));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(aligned));
        }
    }

    private static java.util.Optional<byte[]> decodedBase64(String value) {
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            return bytes.length >= 9 ? java.util.Optional.of(bytes) : java.util.Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return java.util.Optional.empty();
        }
    }

    /** Log lines (message, stack trace, MDC) from the moment of {@link #start()} until {@link #stop()}. */
    public static final class Logs implements AutoCloseable {

        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Map<String, Level> previousLevels = new LinkedHashMap<>();

        public static Logs captureVerbose() {
            Logs logs = new Logs();
            logs.start();
            return logs;
        }

        private void start() {
            LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
            VERBOSE.forEach((name, level) -> {
                Logger logger = loggers.getLogger(name);
                previousLevels.put(name, logger.getLevel());
                logger.setLevel(level);
            });
            appender.start();
            loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        }

        public void stop() {
            LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
            loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            previousLevels.forEach((name, level) -> loggers.getLogger(name).setLevel(level));
            previousLevels.clear();
        }

        @Override
        public void close() {
            stop();
        }

        public int size() {
            return appender.list.size();
        }

        public List<String> linesContaining(String value) {
            List<String> forms = forms(value);
            List<String> hits = new ArrayList<>();
            for (ILoggingEvent event : List.copyOf(appender.list)) {
                StringBuilder text = new StringBuilder(event.getFormattedMessage());
                if (event.getThrowableProxy() != null) {
                    text.append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
                }
                text.append(event.getMDCPropertyMap());
                if (forms.stream().anyMatch(form -> text.indexOf(form) >= 0)) {
                    hits.add(event.getLoggerName() + ": " + event.getFormattedMessage());
                }
            }
            return hits;
        }
    }

    /**
     * The text of every column of every table of the public schema, by {@code table.column} (bytea columns as
     * {@code \\x<hex>}, so bytes are found by their hex form), for {@link #columnsContaining}.
     */
    public static Map<String, List<String>> databaseContents(JdbcTemplate jdbc) {
        Map<String, List<String>> columnsByTable = new LinkedHashMap<>();
        jdbc.query("""
                select c.table_name, c.column_name from information_schema.columns c
                  join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                 where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
                 order by c.table_name, c.ordinal_position""", row -> {
            columnsByTable.computeIfAbsent(row.getString(1), table -> new ArrayList<>()).add(row.getString(2));
        });
        Map<String, List<String>> contents = new LinkedHashMap<>();
        columnsByTable.forEach((table, columns) -> {
            String select = columns.stream().map(column -> "\"" + column + "\"::text")
                    .collect(java.util.stream.Collectors.joining(", ", "select ", " from \"" + table + "\""));
            columns.forEach(column -> contents.put(table + "." + column, new ArrayList<>()));
            jdbc.query(select, row -> {
                for (int i = 0; i < columns.size(); i++) {
                    String text = row.getString(i + 1);
                    if (text != null) {
                        contents.get(table + "." + columns.get(i)).add(text);
                    }
                }
            });
        });
        return contents;
    }

    /** The columns of a {@link #databaseContents} snapshot holding {@code value} in any form. */
    public static List<String> columnsContaining(Map<String, List<String>> database, String value) {
        List<String> forms = forms(value);
        List<String> hits = new ArrayList<>();
        database.forEach((column, values) -> {
            if (values.stream().anyMatch(text -> forms.stream().anyMatch(text::contains))) {
                hits.add(column);
            }
        });
        return hits;
    }

    /** The text of every key and value in the service's Redis database: strings, hashes, lists, sets, sorted sets. */
    public static Map<String, String> redisContents(RedissonClient redisson) {
        Map<String, String> contents = new LinkedHashMap<>();
        RKeys keys = redisson.getKeys();
        for (String key : keys.getKeys(KeysScanOptions.defaults().chunkSize(500))) {
            RType type = keys.getType(key);
            if (type == null) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            switch (type) {
                case OBJECT -> append(text, List.of(redisson.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).get()));
                case MAP -> redisson.<byte[], byte[]>getMap(key, ByteArrayCodec.INSTANCE).readAllMap()
                        .forEach((field, value) -> append(text, List.of(field, value)));
                case LIST -> append(text, redisson.<byte[]>getList(key, ByteArrayCodec.INSTANCE).readAll());
                case SET -> append(text, redisson.<byte[]>getSet(key, ByteArrayCodec.INSTANCE).readAll());
                case ZSET -> append(text, redisson.<byte[]>getScoredSortedSet(key, ByteArrayCodec.INSTANCE).readAll());
                default -> text.append("<").append(type).append(">");
            }
            contents.put(key, text.toString());
        }
        return contents;
    }

    private static void append(StringBuilder text, Collection<byte[]> values) {
        for (byte[] value : values) {
            if (value != null) {
                // Latin-1 keeps every byte as one char, so binary values and text forms compare byte for byte
                text.append(new String(value, StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
    }

    /** The Redis keys whose name or value holds {@code value} in any form. */
    public static List<String> redisEntriesContaining(Map<String, String> contents, String value) {
        List<String> forms = forms(value);
        List<String> hits = new ArrayList<>();
        contents.forEach((key, text) -> {
            if (forms.stream().anyMatch(form -> key.contains(form) || text.contains(form))) {
                hits.add(key);
            }
        });
        return hits;
    }

    /** Every pub/sub message published on the service's Redis from {@link #listen} until {@link #close()}. */
    public static final class Messages implements AutoCloseable {

        private final RPatternTopic topic;
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final int listener;

        private Messages(RedissonClient redisson) {
            this.topic = redisson.getPatternTopic("*", ByteArrayCodec.INSTANCE);
            this.listener = topic.addListener(byte[].class, (pattern, channel, message) ->
                    received.add(channel + " " + new String(message, StandardCharsets.ISO_8859_1)));
        }

        public static Messages listen(RedissonClient redisson) {
            return new Messages(redisson);
        }

        public int size() {
            return received.size();
        }

        public List<String> containing(String value) {
            List<String> forms = forms(value);
            return received.stream().filter(message -> forms.stream().anyMatch(message::contains)).toList();
        }

        @Override
        public void close() {
            topic.removeListener(listener);
        }
    }
}
