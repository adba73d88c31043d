package io.taskapi.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcCpuTest {
    @Test
    void addsUserAndSystemTimeAfterAnAwkwardCommand() {
        String stat = "1234 (java (a) b) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 40 0 500 0 0";
        assertThat(ProcCpu.parseStat(stat)).isEqualTo(325);
    }

    @Test
    void countsBusyTimeWithoutIdleAndIowait() {
        assertThat(ProcCpu.parseMachine("cpu  100 2 30 5000 40 6 7 8 0 0")).isEqualTo(100 + 2 + 30 + 6 + 7 + 8);
    }

    @Test
    void readsThisProcess() {
        assertThat(ProcCpu.processTreeTicks(ProcessHandle.current().pid())).isPresent();
        assertThat(ProcCpu.machineBusyTicks()).isPositive();
    }
}
