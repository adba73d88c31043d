package io.taskapi.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void takesMediansAndRatiosAgainstTheBaseline() throws Exception {
        List<String> raw = List.of(
                run("nginx", 1, 100_000, 50, 5.0), run("api", 1, 30_000, 400, 40.0),
                run("nginx", 2, 120_000, 60, 6.0), run("api", 2, 20_000, 500, 50.0),
                "", run("nginx", 3, 110_000, 70, 7.0), run("api", 3, 25_000, 450, 45.0));
        String table = Report.table(raw, "nginx");
        assertThat(table).contains("| nginx | 3 | 110,000 | 100,000–120,000 | 1.000 | 60.0 |");
        assertThat(table).contains("| api | 3 | 25,000 | 20,000–30,000 | 0.227 | 450.0 |");
        assertThat(table).contains("| 45.0 |").contains("200:30");
        assertThat(Report.table(raw, "absent")).contains("| api | 3 | 25,000 | 20,000–30,000 | – |");
    }

    private static String run(String name, int rep, double rps, double p50, double serverMicros) {
        return String.format(java.util.Locale.ROOT, "{\"name\":\"%s\",\"rep\":%d,\"rps\":%.1f,\"p50_us\":%.1f,"
                + "\"p99_us\":900.0,\"server_us_per_req\":%.1f,\"server_cores\":1.0,\"client_cores\":0.5,"
                + "\"other_cores\":0.0,\"status\":{\"200\":10},\"errors\":0}", name, rep, rps, p50, serverMicros);
    }
}
