package io.c2cstream.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jinja semantics as transformers renders chat templates (jinja2 with trim_blocks, lstrip_blocks,
 * loopcontrols, plus raise_exception, strftime_now and its own tojson). Each expected string is what
 * jinja2 prints for the template; the comments give the reason where it is not obvious.
 */
class ChatTemplateTest {

    private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("Hello"));

    /** Renders {@code template} with {@code variables} and no messages. */
    private static String render(String template, Map<String, Object> variables) {
        return ChatTemplate.of(template, Map.of()).render(List.of(), false, variables);
    }

    private static String render(String template) {
        return render(template, Map.of());
    }

    @Test
    void blockTagsTakeTheirLineWithThemAndDashesStripWhitespace() {
        // trim_blocks drops the newline after a block tag; lstrip_blocks drops the indentation before it.
        assertEquals("  A\nB", render("{% if true %}\n  A\n  {% endif %}\nB"));
        // {{- and -}} strip all whitespace, newlines included, on their side.
        assertEquals("Ax", render("A\n    {{- 'x' }}"));
        assertEquals("A\n  xB", render("A\n  {{ 'x' -}}  \n B"));
        assertEquals("x", render("{%- if true %}\n        {{- 'x' }}\n    {%- endif %}"));
    }

    @Test
    void sourceLineBreaksAreNormalizedAndOneTrailingNewlineDropped() {
        // keep_trailing_newline=False removes exactly one final newline; \r\n and \r read as \n.
        assertEquals("a\nb\n", render("a\r\nb\r\n\n"));
    }

    @Test
    void filtersBindTighterThanArithmetic() {
        // Python order: only x is trimmed, then the three strings are concatenated.
        assertEquals("[x]", render("{{ '[' + x | trim + ']' }}", Map.of("x", "  x \n")));
        assertEquals("2", render("{{ items|length - 1 }}", Map.of("items", List.of(1, 2, 3))));
    }

    @Test
    void notBindsLooserThanComparisonsAndTests() {
        // not (x == 'q') and not (x is defined): jinjava alone would negate x first.
        assertEquals("yes|no", render(
                "{{ 'yes' if not x == 'q' else 'no' }}|{{ 'yes' if not x is defined else 'no' }}", Map.of("x", "a")));
        assertEquals("yes", render("{{ 'yes' if not false and not x in ['b'] else 'no' }}", Map.of("x", "a")));
    }

    @Test
    void keywordArgumentsTakeWholeExpressions() {
        assertEquals("2", render("{% set ns = namespace(last=items|length - 1) %}{{ ns.last }}",
                Map.of("items", List.of(1, 2, 3))));
    }

    @Test
    void namespaceAttributesSurviveLoops() {
        String template = "{% set ns = namespace(found=false, at=-1) %}"
                + "{% for x in items %}{% if x == 'b' %}{% set ns.found = true %}{% set ns.at = loop.index0 %}{% endif %}{% endfor %}"
                + "{{ ns.found }} {{ ns.at }}";
        // jinjava prints booleans the Java way ("true"); jinja2 would print "True". Templates compare
        // flags rather than print them, so only the value matters here.
        assertEquals("true 1", render(template, Map.of("items", List.of("a", "b", "c"))));
    }

    @Test
    void slicesFollowPython() {
        Map<String, Object> vars = Map.of("xs", List.of(1, 2, 3, 4, 5));
        assertEquals("54321", render("{% for x in xs[::-1] %}{{ x }}{% endfor %}", vars));
        assertEquals("2345|1234|45|24|135|531|", render(
                "{{ xs[1:]|join('') }}|{{ xs[:-1]|join('') }}|{{ xs[-2:]|join('') }}|{{ xs[1:-1:2]|join('') }}"
                        + "|{{ xs[::2]|join('') }}|{{ xs[::-2]|join('') }}|{{ xs[7:9]|join('') }}",
                vars));
        // Strings slice by code point: the emoji stays whole.
        assertEquals("c😀a|😀", render("{{ 'a😀c'[::-1] }}|{{ 'a😀c'[1:2] }}"));
    }

    @Test
    void zeroSliceStepIsAnError() {
        assertThrows(ChatTemplateException.class, () -> render("{{ [1, 2][::0] }}"));
    }

    @Test
    void pythonStringMethods() {
        // split keeps the empty part after a trailing separator, so [-1] is '' here (Java's split drops it).
        assertEquals("[]", render("[{{ 'a</think>'.split('</think>')[-1] }}]"));
        assertEquals("3|2|k b", render(
                "{{ ' a  b\tc '.split()|length }}|{{ 'k=v=w'.split('=', 1)|length }}|{{ 'k=v=w'.split('=', 1)[0] }} {{ 'x b'.split(' ')[1] }}"));
        assertEquals("True|False|True", render(
                "{{ 'True' if '<tool_response>x'.startswith('<tool_response>') else 'False' }}"
                        + "|{{ 'True' if 'abc'.endswith('b') else 'False' }}"
                        + "|{{ 'True' if 'abc'.startswith(('x', 'a')) else 'False' }}"));
        assertEquals("[x]|[x\n\n]|[\n\nx]|[ x ]|[y]", render(
                "[{{ '\\n\\nx\\n\\n'.strip('\\n') }}]|[{{ '\\n\\nx\\n\\n'.lstrip('\\n') }}]"
                        + "|[{{ '\\n\\nx\\n\\n'.rstrip('\\n') }}]|[{{ '\\t x \\n'.strip('\\t\\n') }}]|[{{ ' y\u3000'.strip() }}]"));
        assertEquals("ab|AB", render("{{ 'AB'.lower() }}|{{ 'ab'.upper() }}"));
    }

    @Test
    void tests() {
        assertEquals("yes|no|yes|yes|yes", render(
                "{{ 'yes' if flag is defined else 'no' }}|{{ 'yes' if missing is defined else 'no' }}"
                        + "|{{ 'yes' if not missing is defined else 'no' }}|{{ 'yes' if text is string else 'no' }}"
                        + "|{{ 'yes' if flag is false else 'no' }}",
                Map.of("flag", false, "text", "t")));
    }

    @Test
    void loopVariablesAndLoopControls() {
        assertEquals("[0:a][1:b]", render(
                "{% for x in xs %}{% if loop.index0 > 1 %}{% break %}{% endif %}[{{ loop.index0 }}:{{ x }}]{% endfor %}",
                Map.of("xs", List.of("a", "b", "c"))));
        assertEquals("first b last", render(
                "{% for x in xs %}{% if loop.first %}first{% elif loop.last %} last{% else %} {{ x }}{% endif %}{% endfor %}",
                Map.of("xs", List.of("a", "b", "c"))));
        assertEquals("ac", render(
                "{% for x in xs %}{% if x == 'b' %}{% continue %}{% endif %}{{ x }}{% endfor %}",
                Map.of("xs", List.of("a", "b", "c"))));
    }

    @Test
    void tojsonIsPythonJsonDumps() {
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "météo");
        tool.put("weight", 1.0);
        tool.put("args", List.of(1, "a\"b"));
        tool.put("none", null);
        // json.dumps(tool, ensure_ascii=False): ", " and ": " separators, 1.0 stays a float, no escaping of é.
        assertEquals("{\"name\": \"météo\", \"weight\": 1.0, \"args\": [1, \"a\\\"b\"], \"none\": null}",
                render("{{ tool | tojson }}", Map.of("tool", tool)));
        // indent=2: one item per line, "," separators, empty containers stay compact.
        assertEquals("{\n  \"a\": [\n    1,\n    []\n  ]\n}",
                render("{{ {'a': [1, []]} | tojson(indent=2) }}"));
        assertEquals("{\"a\": 1, \"b\": 2}", render("{{ {'b': 2, 'a': 1} | tojson(sort_keys=true) }}"));
        assertEquals("\"\\u00e9\"", render("{{ 'é' | tojson(ensure_ascii=true) }}"));
    }

    @Test
    void raiseExceptionSurfacesTheTemplatesMessage() {
        ChatTemplate template = ChatTemplate.of(
                "{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversations must start with a user message') }}{% endif %}",
                Map.of());
        ChatTemplateException error = assertThrows(ChatTemplateException.class,
                () -> template.render(List.of(ChatMessage.assistant("hi")), false, Map.of()));
        assertTrue(error.getMessage().endsWith("Conversations must start with a user message"), error.getMessage());
        assertEquals("", template.render(HELLO, false, Map.of()));
    }

    @Test
    void syntaxErrorsFailTheRender() {
        ChatTemplateException error = assertThrows(ChatTemplateException.class, () -> render("{{ x.foo( }}"));
        assertTrue(error.getMessage().startsWith("cannot render the chat template: line 1"), error.getMessage());
    }

    @Test
    void strftimeNowFormatsTheLocalDate() {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.US);
        String before = LocalDate.now().format(format);
        String rendered = render("{{ strftime_now('%d %b %Y') }}");
        String after = LocalDate.now().format(format);
        assertTrue(rendered.equals(before) || rendered.equals(after), rendered);
    }

    /**
     * The date logic of Llama 3.1's template, in small: a system block is always written, with a
     * default "Today Date" when the caller passes no {@code date_string}.
     */
    private static final String LLAMA_31_STYLE = """
            {{- bos_token }}
            {%- if not date_string is defined %}
                    {%- set date_string = "26 Jul 2024" %}
            {%- endif %}
            {%- if messages[0]['role'] == 'system' %}
                    {%- set system_message = messages[0]['content']|trim %}
                    {%- set messages = messages[1:] %}
            {%- else %}
                    {%- set system_message = "" %}
            {%- endif %}
            {{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
            {{- "Cutting Knowledge Date: December 2023\\n" }}
            {{- "Today Date: " + date_string + "\\n\\n" }}
            {{- system_message }}
            {{- "<|eot_id|>" }}
            {%- for message in messages %}
                    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
            {%- endfor %}
            {%- if add_generation_prompt %}
                    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
            {%- endif %}
            """;

    @Test
    void llama31StyleDefaultDateAndSystemBlock() {
        ChatTemplate template = ChatTemplate.of(LLAMA_31_STYLE, Map.of("bos_token", "<|begin_of_text|>"));
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                        + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                template.render(HELLO, true, Map.of()));
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                        + "Cutting Knowledge Date: December 2023\nToday Date: 01 Jan 2025\n\nBe terse.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>",
                template.render(List.of(ChatMessage.system(" Be terse.\n"), ChatMessage.user("Hello")), false,
                        Map.of("date_string", "01 Jan 2025")));
    }

    @Test
    void renderRejectsReservedVariables() {
        ChatTemplate template = ChatTemplate.of("x", Map.of());
        assertThrows(IllegalArgumentException.class, () -> template.render(HELLO, true, Map.of("messages", List.of())));
    }

    @Test
    void noTemplateWithoutConfigOrChatTemplate(@TempDir Path dir) throws IOException {
        assertEquals(Optional.empty(), ChatTemplate.fromTokenizerConfig(dir));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
        assertEquals(Optional.empty(), ChatTemplate.fromTokenizerConfig(dir));
    }

    @Test
    void namedTemplatesUseDefaultAndTokenVariables(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": {"content": "<s>", "__type": "AddedToken"}, "eos_token": "</s>",
                  "chat_template": [{"name": "tool_use", "template": "tools"},
                                                      {"name": "default", "template": "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}"}]}
                """);
        assertEquals("<s>Hello</s>", ChatTemplate.fromTokenizerConfig(dir).orElseThrow().render(HELLO, false, Map.of()));
    }

    @Test
    void namedTemplatesWithoutDefaultAreRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"tools\"}]}");
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> ChatTemplate.fromTokenizerConfig(dir));
        assertTrue(error.getMessage().contains("none named \"default\""), error.getMessage());
    }
}
