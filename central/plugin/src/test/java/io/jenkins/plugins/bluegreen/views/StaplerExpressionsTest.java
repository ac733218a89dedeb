package io.jenkins.plugins.bluegreen.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.bluegreen.views.StaplerExpressions.Message;
import java.util.List;
import org.apache.commons.jelly.JellyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The expression rules the view tests rely on, on expressions whose fate in Stapler is known. */
class StaplerExpressionsTest {

    private final StaplerExpressions expressions = new StaplerExpressions();

    @Test
    void aMessageKeyEndsAtTheFirstParenthesis() throws JellyException {
        expressions.createExpression("%Service");
        expressions.createExpression("%when(r.startedText, r.endedText)");
        expressions.createExpression("%all(r.events.size())");
        expressions.createExpression("%CA certificate (PEM)");
        assertEquals(List.of(new Message("Service", List.of()), new Message("when", List.of("r.startedText", " r.endedText")),
                new Message("all", List.of("r.events.size()")), new Message("CA certificate ", List.of("PEM"))),
                expressions.messages());
    }

    @ParameterizedTest
    @ValueSource(strings = {"%Manifest (workspace path)", "%Database headroom (%)", "%x(a", "%x(a) b", "%Promote (at 100 %)"})
    void textInParenthesesIsNoArgument(String text) {
        assertThrows(JellyException.class, () -> expressions.createExpression(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a ? b : c", "attrs.value ?: instance[attrs.field] ?: attrs.default", "a ? (b ? c : d) : e",
            "a ? b ? c : d : e", "x == 'a:b?' ? 1 : 2", "rec.completedAt != null ? rec.completedAt : '-'", "it.entries.isEmpty()"})
    void jenkinsJexlHasTheConditionalOperators(String text) throws JellyException {
        assertTrue(new JenkinsJexl().createExpression(text) != null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a ? b", "workspace path", "a ? b : ", "at 100 %"})
    void andIsJexlOtherwise(String text) {
        assertThrows(JellyException.class, () -> new JenkinsJexl().createExpression(text));
    }
}
