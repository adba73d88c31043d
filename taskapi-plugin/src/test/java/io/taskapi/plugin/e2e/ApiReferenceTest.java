package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The route table in code is the source of truth; docs/api.md must list every route with the permission it declares,
 * and nothing else. On failure the message holds the table to paste.
 */
final class ApiReferenceTest {
    private static final Path API_REFERENCE = Path.of("..", "docs", "api.md");
    private static final String BEGIN = "<!-- route table: checked by ApiReferenceTest -->";
    private static final String END = "<!-- end of route table -->";

    @Test
    void docsListEveryRouteWithItsPermission() throws IOException {
        String docs = Files.readString(API_REFERENCE);
        int begin = docs.indexOf(BEGIN);
        int end = docs.indexOf(END);
        assertThat(begin).as("docs/api.md has the route table markers").isNotNegative();
        String documented = docs.substring(begin + BEGIN.length(), end).strip();

        assertThat(documented).as("docs/api.md route table; expected:%n%s", expectedTable()).isEqualTo(expectedTable());
    }

    private static String expectedTable() {
        List<Row> rows = RouteSecurityMatrixTest.boundRoutes().entrySet().stream()
                .map(entry -> new Row(entry.getKey().substring(0, entry.getKey().indexOf(' ')),
                        entry.getValue().path(), entry.getValue().permission().description()))
                .sorted(Comparator.comparing(Row::path).thenComparing(Row::method))
                .toList();
        return "| method | path | permission |\n|---|---|---|\n" + rows.stream()
                .map(row -> "| " + row.method() + " | `" + row.path() + "` | " + row.permission() + " |")
                .collect(Collectors.joining("\n"));
    }

    private record Row(String method, String path, String permission) {}
}
