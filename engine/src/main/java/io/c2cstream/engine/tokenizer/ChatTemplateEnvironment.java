package io.c2cstream.engine.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import jinjava.de.odysseus.el.tree.impl.Builder.Feature;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * Jinjava set up to render like transformers' chat-template environment, {@code
 * ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])}
 * plus its {@code raise_exception}, {@code strftime_now} and {@code tojson}.
 *
 * <p>What jinjava does differently out of the box, and how it is aligned here:
 *
 * <ul>
 *   <li>Operator precedence: jinjava's legacy order is replaced by its natural (Python) order.
 *   <li>Whitespace control ({@code {{-}}, {@code -}}}) on expressions and comments, which
 *       jinjava ignores unless told otherwise.
 *   <li>Python {@code str} methods ({@code startswith}, {@code split}, ...): {@link
 *       PythonStringMethods}.
 *   <li>Slices with a step ({@code messages[::-1]}), keyword arguments and the precedence of
 *       {@code not}: {@link PythonExpressionParser}.
 *   <li>{@code trim} and {@code tojson}: {@link PythonTrimFilter}, {@link PythonToJsonFilter}.
 *   <li>Jinja's lexer turns every line break into {@code \n} and drops one trailing newline of the
 *       source: {@link #normalizeSource}.
 *   <li>Errors: jinjava records them and renders on; here any fatal error fails the render.
 * </ul>
 *
 * <p>Not aligned: Python's printing of non-string values ({@code True}, {@code None}, lists) and
 * jinja2's distinction between an undefined variable and one set to {@code None}.
 */
final class ChatTemplateEnvironment {

    private static final Jinjava JINJAVA = create();

    private ChatTemplateEnvironment() {}

    /** Renders an already {@linkplain #normalizeSource normalized} template. */
    static String render(String template, Map<String, Object> variables) {
        RenderResult result = JINJAVA.renderForResult(template, variables);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(error -> error.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        for (TemplateError error : fatal) {
            for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ChatTemplateException raised) {
                    throw raised;
                }
            }
        }
        if (!fatal.isEmpty()) {
            throw new ChatTemplateException("cannot render the chat template: " + fatal.stream()
                    .map(error -> "line " + error.getLineno() + ": " + error.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }

    /** What Jinja's lexer does to a template source before anything else. */
    static String normalizeSource(String source) {
        String normalized = source.replace("\r\n", "\n").replace('\r', '\n');
        return normalized.endsWith("\n") ? normalized.substring(0, normalized.length() - 1) : normalized;
    }

    private static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .build())
                .withElResolver(resolver)
                .build();
        Jinjava jinjava = new PythonSyntaxJinjava(config);
        jinjava.registerFunction(function("raise_exception", "raiseException", Object.class));
        jinjava.registerFunction(function("strftime_now", "strftimeNow", String.class));
        jinjava.registerFilter(new PythonTrimFilter());
        jinjava.registerFilter(new PythonToJsonFilter());
        return jinjava;
    }

    private static ELFunctionDefinition function(String name, String method, Class<?> parameter) {
        try {
            // TemplateFunctions is package-private: open its methods to the EL's reflective call.
            Method target = TemplateFunctions.class.getMethod(method, parameter);
            target.setAccessible(true);
            return new ELFunctionDefinition("", name, target);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jinjava whose expressions are parsed by {@link PythonExpressionParser}. */
    private static final class PythonSyntaxJinjava extends Jinjava {

        private final ExpressionFactory expressionFactory =
                new ExpressionFactoryImpl(new Properties(), new TruthyTypeConverter()) {
                    @Override
                    protected TreeBuilder createTreeBuilder(Properties properties, Feature... features) {
                        return new ExtendedSyntaxBuilder(features) {
                            private static final long serialVersionUID = 1L;

                            @Override
                            protected Parser createParser(String expression) {
                                return new PythonExpressionParser(this, expression);
                            }
                        };
                    }
                };

        PythonSyntaxJinjava(JinjavaConfig config) {
            super(config);
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return expressionFactory;
        }
    }
}
