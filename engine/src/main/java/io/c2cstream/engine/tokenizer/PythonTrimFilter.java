package io.c2cstream.engine.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;
import java.util.Objects;

/**
 * Jinja's {@code trim(value, chars=None)}, which is Python's {@code str.strip}: jinjava's own trim
 * strips every character up to U+0020 (control characters too) but no Unicode spaces, and ignores
 * {@code chars}. An undefined value trims to the empty string.
 */
final class PythonTrimFilter implements Filter {

    @Override
    public String getName() {
        return "trim";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object chars = kwargs.containsKey("chars") ? kwargs.get("chars") : args.length > 0 ? args[0] : null;
        return PythonStrings.strip(Objects.toString(value, ""), chars == null ? null : chars.toString());
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return filter(value, interpreter, args, Map.of());
    }
}
