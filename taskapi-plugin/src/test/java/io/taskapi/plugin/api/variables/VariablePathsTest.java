package io.taskapi.plugin.api.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.plugin.http.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Nomad's path and namespace rules, message for message. */
final class VariablePathsTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "app/db", "a-b_c~d/E/9", "nomad/jobs", "nomad/jobs/web/g/t/extra",
        "nomad/job-templates/one", "secret/baz", "nomadic/anything", "trailing/"})
    void validPaths(String path) {
        assertThatCode(() -> VariablePaths.checkPath(path)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a.b|invalid path \"a.b\"",
        "a b|invalid path \"a b\"",
        "a@b|invalid path \"a@b\"",
        "nomad|\"nomad\" is a reserved top-level directory path",
        "nomad/other|only paths at \"nomad/jobs\" or \"nomad/job-templates\" and below are valid paths",
        "nomad/job-templates|\"nomad/job-templates\" is a reserved directory path",
        "nomad/job-templates/a/b|\"nomad/job-templates\" is a reserved directory path",
    })
    void invalidPathsAreRefusedWithNomadsMessage(String path, String message) {
        assertThatThrownBy(() -> VariablePaths.checkPath(path)).isInstanceOf(ApiException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129})
    void pathsAreAtMost128Characters(int length) {
        String path = "p".repeat(length);
        if (length <= 128) {
            assertThatCode(() -> VariablePaths.checkPath(path)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> VariablePaths.checkPath(path)).hasMessageStartingWith("invalid path");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\u0000b"})
    void controlCharactersAreNotEchoed(String path) {
        assertThatThrownBy(() -> VariablePaths.checkPath(path)).hasMessageStartingWith("invalid path")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u0000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "prod-1", "A"})
    void validNamespaces(String namespace) {
        assertThatCode(() -> VariablePaths.checkNamespace(namespace, false)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.b", "a/b", "a\u0000b", "ns*"})
    void invalidNamespaces(String namespace) {
        assertThatThrownBy(() -> VariablePaths.checkNamespace(namespace, true))
                .hasMessageStartingWith("invalid namespace");
    }

    @org.junit.jupiter.api.Test
    void theWildcardNamespaceIsForListsOnly() {
        assertThatCode(() -> VariablePaths.checkNamespace("*", true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> VariablePaths.checkNamespace("*", false))
                .hasMessage("can not target wildcard (\"*\")namespace");
    }
}
