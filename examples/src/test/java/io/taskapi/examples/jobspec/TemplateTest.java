package io.taskapi.examples.jobspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Map<String, String> ENV = Map.of(
            "NOMAD_SECRETS_DIR", "/alloc/secrets",
            "NOMAD_TOKEN", "jwt",
            "weird.key", "dotted");
    private static final Map<String, String> NODE = Map.of("attr.kernel.name", "linux", "node.unique.id", "n1");
    private static final Function<Template.Reference, Optional<String>> LOOKUP = reference -> {
        String value = ENV.get(reference.name());
        if (value == null && reference.kind() == Template.Reference.Kind.VARIABLE) {
            value = NODE.get(reference.name());
        }
        return Optional.ofNullable(value);
    };

    @Test
    void replacesNomadVariablesEnvIndexesAndNodeAttributes() throws Exception {
        String rendered = Template.parse("${NOMAD_SECRETS_DIR}/api.sock Bearer ${ NOMAD_TOKEN } ${env[\"weird.key\"]}"
                + " on ${attr.kernel.name}/${node.unique.id}").render(LOOKUP, Template.Unknown.FAIL);

        assertThat(rendered).isEqualTo("/alloc/secrets/api.sock Bearer jwt dotted on linux/n1");
    }

    @Test
    void keepsEscapedSequencesLiteral() throws Exception {
        assertThat(Template.parse("echo $${HOME} %%{x} $ {y} $").render(LOOKUP, Template.Unknown.FAIL))
                .isEqualTo("echo ${HOME} %{x} $ {y} $");
    }

    @Test
    void leavesUnknownVariablesAsWrittenLikeNomadsReplaceEnv() throws Exception {
        assertThat(Template.parse("a ${NOPE} b ${env[\"NOPE\"]}").render(LOOKUP, Template.Unknown.KEEP))
                .isEqualTo("a ${NOPE} b ${env[\"NOPE\"]}");
    }

    @Test
    void refusesUnknownVariablesWhenAskedLikeNomadsConfigEvaluation() {
        assertThatThrownBy(() -> Template.parse("x ${NOPE}").render(LOOKUP, Template.Unknown.FAIL))
                .isInstanceOf(Template.UnknownVariableException.class)
                .hasMessage("unknown variable ${NOPE} (write $${ for a literal ${)");
    }

    @Test
    void envIndexOnlyReadsTheEnvironment() {
        assertThatThrownBy(() -> Template.parse("${env[\"attr.kernel.name\"]}").render(LOOKUP,
                Template.Unknown.FAIL)).isInstanceOf(Template.UnknownVariableException.class);
    }

    @Test
    void refusesWhatItCannotEvaluate() {
        assertThatThrownBy(() -> Template.parse("${a + b}")).hasMessageContaining("unsupported expression ${a + b}");
        assertThatThrownBy(() -> Template.parse("${}")).hasMessageContaining("unsupported expression ${}");
        assertThatThrownBy(() -> Template.parse("%{ for x in y }")).hasMessageContaining("template directives");
        assertThatThrownBy(() -> Template.parse("${env[\"\"]}")).hasMessageContaining("empty variable name");
    }

    @Test
    void listsItsReferences() {
        assertThat(Template.parse("${A}${env[\"B\"]}").references()).containsExactly(
                new Template.Reference(Template.Reference.Kind.VARIABLE, "A"),
                new Template.Reference(Template.Reference.Kind.ENV, "B"));
    }
}
