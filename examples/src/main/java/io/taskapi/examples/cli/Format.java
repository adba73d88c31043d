package io.taskapi.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Nomad's CLI output shapes: aligned columns (two spaces apart) and {@code Key = Value} lists. */
final class Format {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Format() {}

    /**
     * @param rows the header row, then the data rows
     * @return the rows in aligned columns, one line each, without trailing spaces
     */
    static String columns(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /**
     * @param pairs keys and values, alternating
     * @return {@code Key   = Value} lines with the {@code =} aligned
     */
    static String keyValues(List<String> pairs) {
        int width = 0;
        for (int i = 0; i < pairs.size(); i += 2) {
            width = Math.max(width, pairs.get(i).length());
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.size(); i += 2) {
            out.append(pairs.get(i)).append(" ".repeat(width - pairs.get(i).length())).append(" = ")
                    .append(pairs.get(i + 1)).append('\n');
        }
        return out.toString();
    }

    static List<String> pairs(String... keysAndValues) {
        return new ArrayList<>(List.of(keysAndValues));
    }

    /** @return the first 8 characters of an id, as Nomad shows ids without -verbose */
    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    static String json(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a Unix time in nanoseconds as {@code 2006-01-02T15:04:05Z} */
    static String nanos(long nanos) {
        return TIME.format(Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
